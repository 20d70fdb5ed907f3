import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { API_KEY, useApiSession } from "./api-session.js";
import { useRestSession } from "./rest-session.js";

const s = useApiSession();
const rest = useRestSession();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe("runpod-ts pod", () => {
  it("create deploys a GPU pod with the flags it was given, and a CPU pod without --gpu", async () => {
    const gpu = await s.run([
      "pod",
      "create",
      "--name",
      "trainer",
      "--image",
      "runpod/base:0.6.2",
      "--gpu",
      "NVIDIA A40",
      "--gpu-count",
      "2",
      "--env",
      "A=1",
      "--env",
      "B=x=y",
      "--ports",
      "8888/http,22/tcp",
      "--volume",
      "20",
      "--cloud-type",
      "SECURE",
    ]);
    expect(gpu.code).toBe(0);
    expect(gpu.stdout).toMatch(/^Created 2 × NVIDIA A40 pod pod-\d+$/m);
    const deploy = s.server.requests.find((r) => r.operationName === "PodFindAndDeployOnDemand");
    expect(deploy?.variables?.input).toMatchObject({
      name: "trainer",
      imageName: "runpod/base:0.6.2",
      gpuTypeId: "NVIDIA A40",
      gpuCount: 2,
      cloudType: "SECURE",
      supportPublicIp: true,
      startSsh: true,
      volumeInGb: 20,
      ports: "8888/http,22/tcp",
      env: [
        { key: "A", value: "1" },
        { key: "B", value: "x=y" },
      ],
    });

    const cpu = await s.run([
      "pod",
      "create",
      "--name",
      "box",
      "--image",
      "ubuntu:24.04",
      "--json",
    ]);
    expect(cpu.code).toBe(0);
    expect(json(cpu.stdout)).toMatchObject({ desiredStatus: "RUNNING", imageName: "ubuntu:24.04" });
    expect(s.server.requests.at(-1)?.operationName).toBe("DeployCpuPod");
  });

  it("list prints an aligned table, or every field as JSON", async () => {
    const human = await s.run(["pod", "list"]);
    expect(human.code).toBe(0);
    const [header, ...rows] = human.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+HARDWARE\s+\$\/H\s+STARTED\s+IMAGE$/);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes("trainer"))).toMatch(/RUNNING\s+2 × A40\s+0\.800/);
    expect(rows.find((r) => r.includes("box"))).toContain("CPU (4 vCPU)");
    // Columns line up: every row's NAME starts where the header's does.
    const at = header?.indexOf("NAME");
    for (const row of rows)
      expect(row.slice(at).startsWith(row.includes("box") ? "box" : "trainer")).toBe(true);

    const data = await s.run(["pod", "list", "--json"]);
    const pods = JSON.parse(data.stdout) as Array<Record<string, unknown>>;
    expect(pods.map((p) => p.name).sort()).toEqual(["box", "trainer"]);
    expect(data.stderr).toBe("");
  });

  it("get shows one pod; an unknown id is a one-line error with exit 1", async () => {
    const id = [...s.server.state.pods.values()].find((p) => p.name === "trainer")?.id as string;
    const human = await s.run(["pod", "get", id]);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+${id}$`, "m"));
    expect(human.stdout).toMatch(/^Hardware\s+2 × A40$/m);
    expect(json((await s.run(["pod", "get", id, "--json"])).stdout)).toMatchObject({
      id,
      gpuCount: 2,
    });

    const missing = await s.run(["pod", "get", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: No pod "nope" on this account; list your pods with `runpod-ts pod list`\n',
    );
  });

  it("stop, resume (with the pod's own GPU count) and terminate", async () => {
    const id = [...s.server.state.pods.values()].find((p) => p.name === "trainer")?.id as string;
    const stop = await s.run(["pod", "stop", id]);
    expect(stop.stdout).toContain(`Stopped pod ${id} (EXITED)`);
    expect(s.server.state.pods.get(id)?.desiredStatus).toBe("EXITED");

    const resume = await s.run(["pod", "resume", id, "--json"]);
    expect(json(resume.stdout)).toMatchObject({ id, desiredStatus: "RUNNING" });
    const sent = s.server.requests.findLast((r) => r.operationName === "PodResume");
    expect(sent?.variables?.input).toEqual({ podId: id, gpuCount: 2 });

    const terminate = await s.run(["pod", "terminate", id, "--json"]);
    expect(json(terminate.stdout)).toEqual({ id, terminated: true });
    expect(s.server.state.pods.has(id)).toBe(false);

    const again = await s.run(["pod", "terminate", id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: Runpod refused PodTerminate: pod ${id} not found\n`);
  });

  it("resume sends no GPU count for a CPU pod", async () => {
    const id = [...s.server.state.pods.values()].find((p) => p.name === "box")?.id as string;
    await s.run(["pod", "stop", id]);
    const r = await s.run(["pod", "resume", id]);
    expect(r.stdout).toBe(`Resumed pod ${id} (RUNNING)\n`);
    const sent = s.server.requests.findLast((q) => q.operationName === "PodResume");
    expect(sent?.variables?.input).toEqual({ podId: id });
  });

  it("takes the key from --profile or --api-key; a rejected key is a one-line error", async () => {
    mkdirSync(join(s.home, ".runpod"), { recursive: true });
    writeFileSync(join(s.home, ".runpod", "config.toml"), `[work]\napi_key = "${API_KEY}"\n`);
    const byProfile = await s.run(["pod", "list", "--profile", "work", "--json"], {
      RUNPOD_API_KEY: "",
    });
    expect(byProfile.code).toBe(0);
    expect(s.server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    const wrong = "rpa_WRONGKEY0000000000000000000";
    const rejected = await s.run(["pod", "list", "--api-key", wrong]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toBe(
      "error: Runpod rejected the API key (401 Unauthorized); check it with `runpod-ts config show` and set a valid one with `runpod-ts config`\n",
    );
    expect(rejected.stderr).not.toContain(wrong);
  });

  it("bad flag values are usage errors (exit 2, with help) and nothing is sent", async () => {
    await s.usageError(
      ["pod", "create", "--gpu-count", "0", "--env", "oops"],
      "--gpu-count: must be at least 1",
      "--env: use KEY=VALUE",
      "--image: give an image, or a template with --template-id",
      "Usage: runpod-ts pod create",
    );

    await s.usageError(
      ["pod", "create", "--image", "x", "--cuda", "12.4"],
      "--cuda: CUDA constraints apply to GPU pods only; add --gpu",
    );

    await s.usageError(
      ["pod", "list", "--bogus"],
      "unknown option '--bogus'",
      "Usage: runpod-ts pod list",
    );
  });

  it("an unknown GPU type is reported before a deploy is attempted", async () => {
    const r = await s.run(["pod", "create", "--image", "x", "--gpu", "NVIDIA Z9000"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown GPU type "NVIDIA Z9000"');
    expect(s.server.requests.at(-1)?.operationName).toBe("GpuType");
  });

  it("without an API key: exit 1 with the hint, and no request", async () => {
    const r = await s.runCounting(["pod", "list"], { RUNPOD_API_KEY: "" });
    expect(r.code).toBe(1);
    expect(r.requests).toBe(0);
    expect(r.stderr).toBe(
      "error: No Runpod API key configured; set one with `runpod-ts config`, the RUNPOD_API_KEY environment variable, or --api-key\n",
    );
  });
});

describe("runpod-ts gpu", () => {
  const RTX = "NVIDIA GeForce RTX 4090";
  const notFound = {
    status: 404,
    headers: { "content-type": "application/problem+json" },
    json: { title: "Not Found", status: 404, detail: "gpu type not found" },
  };

  it("list prints memory, prices per GPU and pod stock; --json the catalog's records", async () => {
    const human = await rest.ok(["gpu", "list"]);
    const [header, row] = human.stdout.split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+MEMORY\s+SECURE \$\/H\s+COMMUNITY \$\/H\s+STOCK$/);
    expect(row).toMatch(
      /^NVIDIA GeForce RTX 4090\s+RTX 4090\s+24 GB\s+\$0\.440\/h\s+\$0\.310\/h\s+HIGH$/,
    );
    expect(human.sent.map((r) => [r.method, r.path, r.query])).toEqual([
      ["GET", "/v2/catalog/gpus", { include: "AVAILABILITY", product: "POD", count: "1" }],
    ]);

    const data = await rest.ok([
      "gpu",
      "list",
      "--gpu-count",
      "2",
      "--cloud",
      "COMMUNITY",
      "--json",
    ]);
    expect(JSON.parse(data.stdout)).toEqual([expect.objectContaining({ id: RTX, memory: 24 })]);
    expect(data.sent[0]?.query).toMatchObject({ count: "2", cloud: "COMMUNITY" });
  });

  it("list --available leaves out the types without stock", async () => {
    const gpu = (id: string, availability: string) => ({
      id,
      name: id,
      pool: null,
      manufacturer: "NVIDIA",
      memory: 48,
      secure: true,
      community: false,
      price: { secure: 0.5, community: 0 },
      maxCount: { secure: 8, community: 0 },
      availability,
    });
    rest.fake.handle(() => ({
      json: { gpus: [gpu("NVIDIA A40", "NONE"), gpu("NVIDIA L40", "LOW")] },
    }));
    const run = (...args: string[]) =>
      rest.run(["gpu", "list", ...args], { baseUrl: rest.fake.url });
    const all = await run();
    expect(all.stdout).toMatch(/^NVIDIA A40\s+NVIDIA A40\s+48 GB\s+\$0\.500\/h\s+-\s+NONE$/m);
    const available = await run("--available");
    expect(available.stdout).not.toContain("A40");
    expect(available.stdout).toMatch(/^NVIDIA L40 .* LOW$/m);
    rest.fake.handle(() => ({ json: { gpus: [gpu("NVIDIA A40", "NONE")] } }));
    expect((await run("--available")).stdout).toBe("No GPU type is in stock for such a pod now.\n");
  });

  it("get shows prices for --gpu-count GPUs and stock per data center; an unknown id exits 1", async () => {
    const human = await rest.ok(["gpu", "get", RTX, "--gpu-count", "2"]);
    expect(human.stdout).toMatch(/^Secure cloud \(2 GPUs\)\s+\$0\.880\/h$/m);
    expect(human.stdout).toMatch(/^Community cloud \(2 GPUs\)\s+\$0\.620\/h$/m);
    expect(human.stdout).toMatch(/^Stock \(2 GPU, SECURE\)\s+HIGH$/m);
    expect(human.stdout).toMatch(/^Data centers\s+US-KS-2 HIGH$/m);
    expect(human.sent[0]?.path).toBe("/v2/catalog/gpus/NVIDIA%20GeForce%20RTX%204090");
    const data = JSON.parse((await rest.ok(["gpu", "get", RTX, "--json"])).stdout);
    expect(data).toMatchObject({ id: RTX, price: { secure: 0.44 }, availability: "HIGH" });

    rest.fake.handle(() => notFound);
    const missing = await rest.run(["gpu", "get", "NVIDIA Z9000"], { baseUrl: rest.fake.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: No GPU type "NVIDIA Z9000"; list the ids with `runpod-ts gpu list`\n',
    );
  });

  it("bad flag values are usage errors and nothing is sent", async () => {
    await rest.usageError(
      ["gpu", "get", RTX, "--gpu-count", "0"],
      "--gpu-count: must be at least 1",
    );
    await rest.usageError(["gpu", "list", "--cloud", "ALL"], "--cloud", "SECURE, COMMUNITY");
  });
});
