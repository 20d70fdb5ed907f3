/** Every RunpodApi method, through the local GraphQL server over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunpodApi } from "../../src/api/client.js";
import { GraphQLRequestError } from "../../src/api/graphql/errors.js";
import { NotFoundError } from "../../src/core/api-errors.js";
import { ValidationError } from "../../src/core/errors.js";
import { type GraphQLTestServer, startGraphQLServer } from "../helpers/graphql-server.js";

let server: GraphQLTestServer;
let api: RunpodApi;

beforeAll(async () => {
  server = await startGraphQLServer();
  api = new RunpodApi({ apiKey: server.apiKey, baseUrl: server.baseUrl, retryDelayMs: 1 });
});
afterAll(() => server.close());

const lastRequest = () => server.requests[server.requests.length - 1]!;

describe("account", () => {
  it("reads the user and replaces its SSH keys", async () => {
    const before = await api.graphql.getUser();
    expect(before).toMatchObject({ id: "user-1", pubKey: "" });
    expect(before.networkVolumes).toEqual([
      { id: "vol-1", name: "data", size: 50, dataCenterId: "EU-RO-1" },
    ]);
    const keys = "ssh-ed25519 AAAA one\n\nssh-ed25519 BBBB two";
    expect(await api.graphql.updateUserSettings({ pubKey: keys })).toEqual({
      id: "user-1",
      pubKey: keys,
    });
    expect(lastRequest().variables).toEqual({ input: { pubKey: keys } });
    expect((await api.graphql.getUser()).pubKey).toBe(keys);
  });
});

describe("catalogue", () => {
  it("lists GPU types and reads one with its lowest price for a count", async () => {
    const gpus = await api.graphql.getGpus();
    expect(gpus.map((g) => g.id)).toEqual(["NVIDIA GeForce RTX 4090", "NVIDIA A40"]);
    expect(gpus[0]).toEqual({
      id: "NVIDIA GeForce RTX 4090",
      displayName: "RTX 4090",
      memoryInGb: 24,
    });

    const a40 = await api.graphql.getGpu("NVIDIA A40", 2);
    expect(a40).toMatchObject({ id: "NVIDIA A40", memoryInGb: 48, maxGpuCount: 8 });
    expect(a40?.lowestPrice).toEqual({
      minimumBidPrice: 0.35,
      uninterruptablePrice: 0.7,
      stockStatus: "High",
    });
    expect(lastRequest().variables).toEqual({ id: "NVIDIA A40", gpuCount: 2 });
    expect(await api.graphql.getGpu("no such GPU")).toBeUndefined();
  });

  it("lists CPU types", async () => {
    const cpus = await api.graphql.getCpuTypes();
    expect(cpus).toHaveLength(1);
    expect(cpus[0]).toMatchObject({ manufacturer: "AMD", cores: 48, threadsPerCore: 2 });
  });
});

describe("pods", () => {
  it("creates a GPU pod with runpod-python's defaults, lists, stops, resumes and terminates it", async () => {
    const created = await api.graphql.createPod({
      name: "trainer",
      imageName: "runpod/pytorch:2.4",
      gpuTypeId: "NVIDIA A40",
      ports: ["8888/http", " 22/tcp"],
      env: { HF_TOKEN: "x=y" },
    });
    expect(created).toMatchObject({ desiredStatus: "RUNNING", imageName: "runpod/pytorch:2.4" });
    expect(created.env).toEqual(["HF_TOKEN=x=y"]);
    expect(created.machine?.podHostId).toBe(`${created.id}-1`);

    const deploy = lastRequest();
    expect(deploy.operationName).toBe("PodFindAndDeployOnDemand");
    expect(deploy.variables).toEqual({
      input: {
        name: "trainer",
        imageName: "runpod/pytorch:2.4",
        cloudType: "ALL",
        startSsh: true,
        dockerArgs: "",
        containerDiskInGb: 10,
        ports: "8888/http,22/tcp",
        volumeMountPath: "/runpod-volume",
        env: [{ key: "HF_TOKEN", value: "x=y" }],
        gpuTypeId: "NVIDIA A40",
        gpuCount: 1,
        supportPublicIp: true,
        volumeInGb: 0,
        minVcpuCount: 1,
        minMemoryInGb: 1,
      },
    });

    const listed = await api.graphql.getPods();
    expect(listed.map((p) => p.id)).toContain(created.id);
    const one = await api.graphql.getPod(created.id);
    expect(one).toMatchObject({ id: created.id, name: "trainer", gpuCount: 1, runtime: null });

    expect(await api.graphql.stopPod(created.id)).toEqual({
      id: created.id,
      desiredStatus: "EXITED",
    });
    expect((await api.graphql.getPod(created.id))?.desiredStatus).toBe("EXITED");

    const resumed = await api.graphql.resumePod(created.id, 2);
    expect(resumed.desiredStatus).toBe("RUNNING");
    expect(lastRequest().variables).toEqual({ input: { podId: created.id, gpuCount: 2 } });
    expect((await api.graphql.getPod(created.id))?.gpuCount).toBe(2);

    await expect(api.graphql.terminatePod(created.id)).resolves.toBeUndefined();
    expect(await api.graphql.getPod(created.id)).toBeUndefined();
    expect((await api.graphql.getPods()).map((p) => p.id)).not.toContain(created.id);
  });

  it("deploys a CPU pod when no GPU type is given, with the runpod-ubuntu template", async () => {
    const pod = await api.graphql.createPod({
      name: "cpu box",
      imageName: "ubuntu:24.04",
      instanceId: "cpu3c-2-4",
    });
    const req = lastRequest();
    expect(req.operationName).toBe("DeployCpuPod");
    expect(req.variables?.input).toEqual({
      name: "cpu box",
      imageName: "ubuntu:24.04",
      cloudType: "ALL",
      startSsh: true,
      dockerArgs: "",
      containerDiskInGb: 10,
      volumeMountPath: "/runpod-volume",
      templateId: "runpod-ubuntu",
      instanceId: "cpu3c-2-4",
    });
    expect((await api.graphql.getPod(pod.id))?.gpuCount).toBe(0);
  });

  it("takes the data centre from the network volume, as runpod-python does", async () => {
    await api.graphql.createPod({
      name: "with volume",
      templateId: "tpl-x",
      networkVolumeId: "vol-1",
      startSsh: false,
    });
    const input = lastRequest().variables?.input as Record<string, unknown>;
    expect(input).toMatchObject({
      dataCenterId: "EU-RO-1",
      networkVolumeId: "vol-1",
      templateId: "tpl-x",
    });
    expect(input).not.toHaveProperty("startSsh");
    expect(input).not.toHaveProperty("containerDiskInGb");

    const before = server.requests.length;
    await expect(
      api.graphql.createPod({ name: "x", imageName: "i", networkVolumeId: "vol-404" }),
    ).rejects.toThrow(/networkVolumeId: no network volume "vol-404"/);
    expect(server.requests.slice(before).map((r) => r.operationName)).toEqual(["Myself"]);
  });

  it("refuses an unknown GPU type before deploying", async () => {
    const before = server.requests.length;
    const error = await api.graphql
      .createPod({ name: "x", imageName: "i", gpuTypeId: "NVIDIA Z9000" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/gpuTypeId: unknown GPU type "NVIDIA Z9000"/);
    expect(server.requests.slice(before).map((r) => r.operationName)).toEqual(["GpuType"]);
  });

  it("creates and bid-resumes a spot pod", async () => {
    const spot = await api.graphql.createSpotPod({
      name: "spot",
      imageName: "img",
      gpuTypeId: "NVIDIA GeForce RTX 4090",
      bidPerGpu: 0.2,
      gpuCount: 2,
    });
    expect(lastRequest().operationName).toBe("PodRentInterruptable");
    expect(lastRequest().variables?.input).toMatchObject({
      bidPerGpu: 0.2,
      gpuCount: 2,
      cloudType: "ALL",
    });
    expect((await api.graphql.getPod(spot.id))?.podType).toBe("INTERRUPTABLE");

    await api.graphql.stopPod(spot.id);
    const resumed = await api.graphql.resumeSpotPod(spot.id, { bidPerGpu: 0.25 });
    expect(resumed.desiredStatus).toBe("RUNNING");
    expect(lastRequest().variables).toEqual({
      input: { podId: spot.id, bidPerGpu: 0.25, gpuCount: 1 },
    });
    expect((await api.graphql.getPod(spot.id))?.costPerHr).toBe(0.25);
  });

  it("reports the server's error for an unknown pod", async () => {
    const error = await api.graphql.stopPod("pod-404").catch((e) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error.errors[0]).toMatchObject({ message: "pod pod-404 not found", path: ["podStop"] });
  });
});

describe("templates", () => {
  it("creates, lists, reads and deletes a template (by name)", async () => {
    const template = await api.graphql.createTemplate({
      name: "worker-v1",
      imageName: "me/worker:1",
      dockerStartCmd: 'python -c "print(1)"',
      env: { MODE: "prod" },
      isServerless: true,
    });
    expect(lastRequest().variables).toEqual({
      input: {
        name: "worker-v1",
        imageName: "me/worker:1",
        dockerArgs: 'python -c "print(1)"',
        containerDiskInGb: 10,
        volumeInGb: 0,
        ports: "",
        env: [{ key: "MODE", value: "prod" }],
        isServerless: true,
        containerRegistryAuthId: "",
        startSsh: true,
        isPublic: false,
        readme: "",
      },
    });
    expect(template).toMatchObject({ name: "worker-v1", env: [{ key: "MODE", value: "prod" }] });
    expect((await api.graphql.getTemplates()).map((t) => t.name)).toContain("worker-v1");
    expect(await api.graphql.getTemplate(template.id!)).toMatchObject({
      id: template.id,
      isServerless: true,
    });
    expect(await api.graphql.getTemplate("tpl-404")).toBeUndefined();

    await api.graphql.deleteTemplate("worker-v1");
    expect(lastRequest().variables).toEqual({ templateName: "worker-v1" });
    expect(await api.graphql.getTemplate(template.id!)).toBeUndefined();
  });
});

describe("endpoints", () => {
  it("creates an endpoint with runpod-python's defaults", async () => {
    const ep = await api.graphql.createEndpoint({
      name: "my-endpoint",
      templateId: "tpl-a",
      flashboot: true,
    });
    expect(lastRequest().variables).toEqual({
      input: {
        name: "my-endpoint",
        templateId: "tpl-a",
        gpuIds: "AMPERE_16",
        gpuCount: 1,
        networkVolumeId: "",
        locations: "",
        idleTimeout: 5,
        scalerType: "QUEUE_DELAY",
        scalerValue: 4,
        workersMin: 0,
        workersMax: 3,
        flashBootType: "FLASHBOOT",
      },
    });
    expect(ep).toMatchObject({ name: "my-endpoint", flashBootType: "FLASHBOOT", workersMax: 3 });
    expect((await api.graphql.getEndpoints()).map((e) => e.id)).toContain(ep.id);
    expect(await api.graphql.getEndpoint(ep.id!)).toMatchObject({ id: ep.id, templateId: "tpl-a" });
    expect(await api.graphql.getEndpoint("ep-404")).toBeUndefined();
  });

  it("updates some fields and keeps the rest, although saveEndpoint replaces the whole endpoint", async () => {
    const ep = await api.graphql.createEndpoint({
      name: "keeps-fields",
      templateId: "tpl-a",
      idleTimeout: 30,
      gpuIds: "ADA_24",
      allowedCudaVersions: ["12.4", "12.5"],
      executionTimeoutMs: 120_000,
    });
    const updated = await api.graphql.updateEndpoint(ep.id!, { workersMax: 5, flashboot: false });
    expect(updated).toMatchObject({
      id: ep.id,
      name: "keeps-fields",
      workersMax: 5,
      idleTimeout: 30,
      gpuIds: "ADA_24",
      allowedCudaVersions: "12.4,12.5",
      executionTimeoutMs: 120_000,
      flashBootType: "OFF",
    });
    const ops = server.requests.slice(-2).map((r) => r.operationName);
    expect(ops).toEqual(["Endpoint", "SaveEndpoint"]);

    await expect(api.graphql.updateEndpoint("ep-404", { workersMax: 1 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const before = server.requests.length;
    await expect(api.graphql.updateEndpoint(ep.id!, { workersMin: 9 })).rejects.toThrow(
      /workersMin must not exceed workersMax/,
    );
    expect(server.requests.slice(before).map((r) => r.operationName)).toEqual(["Endpoint"]);
  });

  it("points an endpoint at another template and deletes it once scaled to zero", async () => {
    const ep = await api.graphql.createEndpoint({ name: "to-delete", templateId: "tpl-a" });
    expect(await api.graphql.updateEndpointTemplate(ep.id!, "tpl-b")).toEqual({
      id: ep.id,
      templateId: "tpl-b",
    });
    expect((await api.graphql.getEndpoint(ep.id!))?.templateId).toBe("tpl-b");

    await expect(api.graphql.deleteEndpoint(ep.id!)).rejects.toThrow(
      /workersMin and workersMax set to 0/,
    );
    await api.graphql.updateEndpoint(ep.id!, { workersMin: 0, workersMax: 0 });
    await api.graphql.deleteEndpoint(ep.id!);
    expect(lastRequest().variables).toEqual({ id: ep.id });
    expect(await api.graphql.getEndpoint(ep.id!)).toBeUndefined();
  });
});

describe("registry credentials, secrets and volumes", () => {
  it("creates, lists, updates and deletes registry credentials", async () => {
    const auth = await api.graphql.createContainerRegistryAuth({
      name: "ghcr",
      username: "me",
      password: 'p"a\\ss',
    });
    expect(auth).toEqual({ id: auth.id, name: "ghcr" });
    expect(lastRequest().variables).toEqual({
      input: { name: "ghcr", username: "me", password: 'p"a\\ss' },
    });
    expect(lastRequest().query).not.toContain('p\\"a');
    expect(await api.graphql.getContainerRegistryAuths()).toContainEqual({
      id: auth.id,
      name: "ghcr",
    });

    await api.graphql.updateContainerRegistryAuth(auth.id!, { username: "me2", password: "new" });
    expect(server.state.registryAuths.get(auth.id!)).toMatchObject({
      username: "me2",
      password: "new",
    });

    await api.graphql.deleteContainerRegistryAuth(auth.id!);
    expect(lastRequest().variables).toEqual({ registryAuthId: auth.id });
    expect(await api.graphql.getContainerRegistryAuths()).not.toContainEqual({
      id: auth.id,
      name: "ghcr",
    });
  });

  it("creates, lists and deletes a secret without ever reading its value back", async () => {
    const secret = await api.graphql.createSecret({
      name: "hf",
      value: "hf_secret",
      description: "HF token",
    });
    expect(secret).toEqual({ id: secret.id, name: "hf" });
    const listed = await api.graphql.getSecrets();
    expect(listed).toEqual([
      { id: secret.id, name: "hf", description: "HF token", createdAt: "2026-11-23T14:00:00.000Z" },
    ]);
    await api.graphql.deleteSecret(secret.id);
    expect(await api.graphql.getSecrets()).toEqual([]);
  });

  it("creates and lists network volumes", async () => {
    const volume = await api.graphql.createNetworkVolume({
      name: "models",
      size: 100,
      dataCenterId: "US-TX-3",
    });
    expect(volume).toEqual({ id: volume.id, name: "models", size: 100, dataCenterId: "US-TX-3" });
    expect((await api.graphql.getNetworkVolumes()).map((v) => v.id)).toEqual(["vol-1", volume.id]);
  });
});
