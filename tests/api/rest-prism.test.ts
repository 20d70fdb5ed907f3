/**
 * Every REST v2 method against Stoplight Prism mocking the vendored OpenAPI document: each request
 * must validate (no request violation, no 422/401) and each response must parse into what the
 * method promises.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { RunpodApi } from "../../src/api/client.js";
import type { LogLine } from "../../src/api/rest/log-stream.js";
import { type APIError, NotFoundError } from "../../src/core/api-errors.js";
import { ValidationError } from "../../src/core/errors.js";
import { type PrismMock, sharedPrism } from "../helpers/prism.js";

let prism: PrismMock;
let api: RunpodApi;
const KEY = "rpa_PRISM_TEST_KEY_0123456789";

beforeAll(() => {
  prism = sharedPrism();
  api = new RunpodApi({ apiKey: KEY, baseUrl: prism.baseUrl, fetch: prism.judgedFetch() });
});

/** Runs `call` and returns what Prism said of the exchanges it made. */
async function judged<T>(call: () => Promise<T>) {
  const before = prism.exchanges.length;
  const value = await call();
  const exchanges = prism.exchanges.slice(before);
  expect(exchanges.length).toBeGreaterThan(0);
  for (const e of exchanges) {
    const request = e.violations.filter((v) => v.location[0] === "request");
    expect(request, `${e.method} ${e.path}`).toEqual([]);
    expect(e.status, `${e.method} ${e.path}`).toBeLessThan(300);
  }
  return { value, exchanges };
}

const container = { image: "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404", disk: 50 };

describe("pods", () => {
  it("list, get, create (GPU and CPU), update, start, stop, restart, terminate", async () => {
    const { value: pods, exchanges } = await judged(() =>
      api.pods.list({ includeClusterPods: true }),
    );
    expect(exchanges[0]?.path).toBe("/v2/pods?includeClusterPods=true");
    expect(pods.length).toBeGreaterThan(0);
    expect(pods[0]).toMatchObject({ id: expect.any(String), status: expect.any(String) });
    const id = pods[0]?.id as string;
    expect((await judged(() => api.pods.get(id))).value.id).toEqual(expect.any(String));
    const gpu = await judged(() =>
      api.pods.create({
        name: "pytorch-training",
        ...container,
        gpu: { id: "NVIDIA GeForce RTX 4090", count: 1 },
        env: { MODEL_NAME: "llama-3" },
        ports: ["8888/http", "22/tcp"],
        mounts: { persistent: { size: 20, path: "/workspace" } },
      }),
    );
    expect(gpu.value).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    await judged(() =>
      api.pods.create({
        name: "cpu-box",
        image: "ubuntu:24.04",
        cpu: { id: "cpu5c", vcpuCount: 4 },
      }),
    );
    const updated = await judged(() => api.pods.update(id, { name: "renamed", ports: [] }));
    expect(updated.exchanges[0]?.method).toBe("PATCH");
    for (const action of ["start", "stop", "restart"] as const) {
      const { value, exchanges: ex } = await judged(() => api.pods[action](id));
      expect(ex[0]?.path).toBe(`/v2/pods/${id}/action`);
      expect(value.id).toEqual(expect.any(String));
    }
    const gone = await judged(() => api.pods.terminate(id));
    expect(gone.value).toBeUndefined();
    expect(gone.exchanges[0]).toMatchObject({ method: "DELETE", status: 204 });
  });

  it("logs yields the parsed lines of the event stream, with their ids", async () => {
    const lines: LogLine[] = [];
    const { exchanges } = await judged(async () => {
      for await (const line of api.pods.logs("7h9k2m4n6p", {
        source: "container",
        tail: 10,
        follow: false,
      }))
        lines.push(line);
    });
    expect(exchanges[0]?.path).toBe("/v2/pods/7h9k2m4n6p/logs?source=container&tail=10");
    expect(lines).toEqual([
      {
        ts: "2026-06-01T12:02:03Z",
        source: "container",
        line: "Model loaded.",
        id: "2026-06-01T12:02:03Z/000000000001",
      },
    ]);
  });

  it("a missing pod is a NotFoundError carrying the problem document", async () => {
    const notFound = new RunpodApi({
      apiKey: KEY,
      baseUrl: prism.baseUrl,
      fetch: prism.judgedFetch({ prefer: "code=404" }),
    });
    const error = await notFound.pods.get("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as APIError).problem).toMatchObject({ status: 404, title: "Not Found" });
    expect((error as Error).message).not.toContain(KEY);
  });

  it("checks required fields before sending, naming each", async () => {
    const before = prism.exchanges.length;
    const bad = { gpu: { count: 1 } } as unknown as Parameters<typeof api.pods.create>[0];
    const error = await api.pods.create(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain("name: is required");
    expect((error as Error).message).toContain("gpu.id: is required");
    expect((error as Error).message).toContain("image: is required");
    const both = { name: "x", image: "i", gpu: { id: "g" }, cpu: { id: "cpu5c", vcpuCount: 2 } };
    await expect(api.pods.create(both)).rejects.toThrow(/exactly one of `gpu`/);
    const extra = { name: "x", image: "i", gpu: { id: "g" }, bogus: 1 } as never;
    await expect(api.pods.create(extra)).rejects.toThrow(/unknown field "bogus"/);
    await expect(api.pods.get("")).rejects.toThrow(ValidationError);
    await expect(api.pods.list({ includeClusterPods: "yes" } as never)).rejects.toThrow(
      /includeClusterPods: expected boolean/,
    );
    expect(prism.exchanges.length).toBe(before);
  });
});

describe("serverless endpoints", () => {
  it("create a load-balancing endpoint and read its request URLs; a queue endpoint too", async () => {
    const lb = await judged(() =>
      api.endpoints.create({
        name: "cpu-lb",
        type: "LOAD_BALANCER",
        image: "me/lb:1.0",
        ports: ["8000/http"],
        env: { PORT: "8000" },
        cpu: [{ id: "cpu5c", vcpuCount: 4 }],
        scaling: { type: "REQUEST_COUNT", requestCount: 2 },
      }),
    );
    expect(lb.value.requestUrls).toBeDefined();
    const queue = await judged(() =>
      api.endpoints.create({
        name: "image-generator",
        type: "QUEUE",
        image: "me/worker:1.0",
        gpu: { pools: ["ADA_24"], count: 1 },
        workers: { min: 0, max: 5, idleTimeout: 5 },
        scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
        timeout: 300_000,
      }),
    );
    expect(queue.value.id).toEqual(expect.any(String));
  });

  it("list, get, update, workers, releases, worker logs, delete", async () => {
    const { value: list } = await judged(() => api.endpoints.list());
    const id = list[0]?.id as string;
    expect((await judged(() => api.endpoints.get(id))).value.name).toEqual(expect.any(String));
    await judged(() =>
      api.endpoints.update(id, { workers: { min: 1, max: 4 }, flashboot: "FLASHBOOT" }),
    );
    const workers = (await judged(() => api.endpoints.workers(id))).value;
    expect(Array.isArray(workers.workers)).toBe(true);
    expect(workers.summary.total).toEqual(expect.any(Number));
    const releases = (await judged(() => api.endpoints.releases(id))).value;
    expect(Array.isArray(releases.releases)).toBe(true);
    const lines: LogLine[] = [];
    for await (const line of api.endpoints.workerLogs(id, "w1", { follow: false }))
      lines.push(line);
    expect(lines[0]?.line).toEqual(expect.any(String));
    expect((await judged(() => api.endpoints.delete(id))).exchanges[0]?.status).toBe(204);
  });

  it("refuses a create without type or scaling before sending", async () => {
    const bad = { name: "x", image: "i", gpu: { pools: ["ADA_24"] } } as never;
    await expect(api.endpoints.create(bad)).rejects.toThrow(
      /type: is required.*scaling: is required/,
    );
  });
});

describe("templates, network volumes, registries, clusters", () => {
  it("templates: list, get, create, update, delete", async () => {
    const { value } = await judged(() => api.templates.list());
    const id = value[0]?.id as string;
    await judged(() => api.templates.get(id));
    await judged(() => api.templates.create({ name: "t", image: "img:1", serverless: true }));
    await judged(() => api.templates.update(id, { env: { A: "1" } }));
    await judged(() => api.templates.delete(id));
  });

  it("network volumes: list, get, create, update, delete", async () => {
    const { value } = await judged(() => api.networkVolumes.list());
    const id = value[0]?.id as string;
    await judged(() => api.networkVolumes.get(id));
    await judged(() =>
      api.networkVolumes.create({ name: "data", size: 50, dataCenter: "EU-RO-1" }),
    );
    await judged(() => api.networkVolumes.update(id, { size: 100 }));
    await judged(() => api.networkVolumes.delete(id));
    await expect(
      api.networkVolumes.create({ name: "data", size: 5, dataCenter: "EU-RO-1" }),
    ).rejects.toThrow(/size: must be >= 10/);
  });

  it("registries and ECR delegations", async () => {
    const { value } = await judged(() => api.registries.list());
    const id = value[0]?.id as string;
    await judged(() => api.registries.get(id));
    await judged(() => api.registries.create({ name: "r", username: "u", password: "p" }));
    await judged(() => api.registries.delete(id));
    const { value: delegations } = await judged(() => api.registries.delegations.list());
    await judged(() =>
      api.registries.delegations.create({
        resource: "arn:aws:ecr:us-east-1:123456789012:repository/my-app",
      }),
    );
    await judged(() => api.registries.delegations.revoke(delegations[0]?.id ?? "d1"));
  });

  it("clusters: list, get, create, update, pods, delete", async () => {
    const { value } = await judged(() => api.clusters.list());
    const id = value[0]?.id as string;
    await judged(() => api.clusters.get(id));
    await judged(() =>
      api.clusters.create({
        name: "c",
        type: "TRAINING",
        compute: { gpuTypeId: "NVIDIA H100 80GB HBM3", gpuCountPerPod: 8, podCount: 2 },
        image: "img:1",
      }),
    );
    await judged(() => api.clusters.update(id, { name: "renamed" }));
    expect(Array.isArray((await judged(() => api.clusters.pods(id))).value)).toBe(true);
    await judged(() => api.clusters.delete(id));
  });
});

describe("catalog, billing, SSH keys", () => {
  it("catalog: GPUs with availability, one GPU by an id with spaces, CPUs, data centers, templates", async () => {
    const gpus = await judged(() =>
      api.catalog.gpus({ include: ["AVAILABILITY"], product: ["POD"], count: 2 }),
    );
    expect(gpus.exchanges[0]?.path).toBe(
      "/v2/catalog/gpus?include=AVAILABILITY&product=POD&count=2",
    );
    expect(gpus.value[0]?.id).toEqual(expect.any(String));
    const one = await judged(() => api.catalog.gpu("NVIDIA GeForce RTX 4090"));
    expect(one.exchanges[0]?.path).toBe("/v2/catalog/gpus/NVIDIA%20GeForce%20RTX%204090");
    await judged(() => api.catalog.cpus());
    await judged(() => api.catalog.cpu("cpu5c"));
    const dcs = await judged(() => api.catalog.datacenters({ regions: ["EUROPE"] }));
    expect(dcs.value[0]?.id).toEqual(expect.any(String));
    await judged(() => api.catalog.datacenter("EU-RO-1"));
    await judged(() => api.catalog.templates({ source: "official" }));
    await expect(api.catalog.gpus({ cloud: "ANY" } as never)).rejects.toThrow(
      /cloud: must be one of/,
    );
  });

  it("billing: every view, with Date bounds sent as RFC 3339", async () => {
    const start = new Date("2026-11-01T00:00:00Z");
    const summary = await judged(() =>
      api.billing.summary({ startTime: start, bucketSize: "day" }),
    );
    expect(summary.exchanges[0]?.path).toBe(
      "/v2/billing?startTime=2026-11-01T00%3A00%3A00.000Z&bucketSize=day",
    );
    expect(Array.isArray(summary.value.records)).toBe(true);
    await judged(() => api.billing.pods({ lastN: 7 }));
    await judged(() => api.billing.endpoints());
    await judged(() => api.billing.serverless());
    await judged(() => api.billing.networkVolumes());
    await judged(() => api.billing.clusters());
  });

  it("SSH keys: list and replace; a malformed key is refused before sending", async () => {
    expect(Array.isArray((await judged(() => api.sshKeys.list())).value)).toBe(true);
    const key =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host";
    await judged(() => api.sshKeys.set([key]));
    await expect(api.sshKeys.set(["not a key"])).rejects.toThrow(/keys\.0: must match/);
  });

  it("keeps the rate limits the last response reported", async () => {
    await api.sshKeys.list();
    expect(api.rateLimit?.windows).toEqual([
      { name: "minute", remaining: 0, resetSeconds: 12, quota: 60, windowSeconds: 60 },
      { name: "hour", remaining: 2800, resetSeconds: 1812, quota: 3000, windowSeconds: 3600 },
      { name: "day", remaining: 49500, resetSeconds: 45012, quota: 50000, windowSeconds: 86400 },
    ]);
  });
});
