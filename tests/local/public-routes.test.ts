/** The public endpoint API (§B.2, §B.10) over real HTTP, driven by a protocol-level worker. */
import { describe, expect, it } from "vitest";
import { client, jobReaches, startPlatform, workerFor } from "../helpers/local-platform.js";

const ID = /^[0-9a-f-]{36}-u1$/;
const SYNC_ID = /^sync-[0-9a-f-]{36}-u1$/;

describe("public routes", () => {
  it("run queues a job that a worker completes; status reports it with timings", async () => {
    const p = await startPlatform();
    const api = client(p);
    const run = await api.post("/run", { input: { name: "x" } });
    expect(run.status).toBe(200);
    expect(run.json).toEqual({ id: expect.stringMatching(ID), status: "IN_QUEUE" });
    const id: string = run.json.id;
    expect((await api.get(`/status/${id}`)).json).toEqual({ id, status: "IN_QUEUE" });

    const worker = workerFor(p);
    const job = await worker.take();
    expect(job).toEqual({ id, input: { name: "x" } });
    const running = await api.get(`/status/${id}`);
    expect(running.json).toMatchObject({ id, status: "IN_PROGRESS", workerId: "w1" });
    expect(running.json.delayTime).toBeGreaterThanOrEqual(0);

    expect((await worker.done(id, { output: { text: "héllo" } })).status).toBe(200);
    const done = await api.post(`/status/${id}`); // POST works too (Go client, dev server)
    expect(done.json).toMatchObject({
      id,
      status: "COMPLETED",
      output: { text: "héllo" },
      workerId: "w1",
    });
    expect(done.json.executionTime).toBeGreaterThanOrEqual(0);
    expect(done.json.error).toBeUndefined();
  });

  it("the same routes answer without the /v2/{endpointId} prefix (Python dev server paths)", async () => {
    const p = await startPlatform();
    const res = await fetch(`${p.url}/run`, {
      method: "POST",
      body: JSON.stringify({ input: { a: 1 } }),
    });
    const { id } = (await res.json()) as { id: string };
    const status = await fetch(`${p.url}/status/${id}`, { method: "POST" });
    expect(await status.json()).toEqual({ id, status: "IN_QUEUE" });
  });

  it("runsync holds until the job is final and answers with a sync- id", async () => {
    const p = await startPlatform();
    const worker = workerFor(p);
    worker.start(async (job) => ({ output: { echo: job.input } }));
    const res = await client(p).post("/runsync", { input: { v: 1 } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(SYNC_ID),
      status: "COMPLETED",
      output: { echo: { v: 1 } },
    });
  });

  it("runsync answers a failed job with its error", async () => {
    const p = await startPlatform();
    workerFor(p).start(async () => ({ error: "boom" }));
    const res = await client(p).post("/runsync?wait=5000", { input: {} });
    expect(res.json).toMatchObject({ status: "FAILED", error: "boom" });
    expect(res.json.output).toBeUndefined();
  });

  it("runsync answers the current status when wait elapses; status-sync then waits for the end", async () => {
    const p = await startPlatform();
    const api = client(p);
    const res = await api.post("/runsync?wait=1000", { input: {} }); // 1000 ms is the minimum
    expect(res.json).toEqual({ id: expect.stringMatching(SYNC_ID), status: "IN_QUEUE" });
    const id: string = res.json.id;

    const worker = workerFor(p);
    const held = api.get(`/status-sync/${id}?wait=20000`);
    await worker.take();
    await worker.done(id, { output: 42 });
    expect((await held).json).toMatchObject({ id, status: "COMPLETED", output: 42 });
  });

  it("status-sync answers at once for a final job and after wait for a running one", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    expect((await api.post(`/status-sync/${id}?wait=1`)).json).toEqual({ id, status: "IN_QUEUE" });
    await api.post(`/cancel/${id}`);
    expect((await api.get(`/status-sync/${id}`)).json).toEqual({ id, status: "CANCELLED" });
  });

  it("stream drains chunks: each read returns what arrived since the previous one", async () => {
    const p = await startPlatform({ streamWaitMs: 10_000 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const worker = workerFor(p);
    await worker.take();
    const firstRead = api.get(`/stream/${id}`); // held until a chunk arrives
    await worker.streamChunk(id, { token: "a" });
    expect((await firstRead).json).toEqual({
      status: "IN_PROGRESS",
      stream: [{ output: { token: "a" } }],
    });

    await worker.streamChunk(id, "b");
    await worker.streamChunk(id, "c");
    expect((await api.post(`/stream/${id}`)).json).toEqual({
      status: "IN_PROGRESS",
      stream: [{ output: "b" }, { output: "c" }],
    });
    await worker.streamChunk(id, "d");
    await worker.done(id, { output: ["a", "b", "c", "d"] }, true);
    expect((await api.get(`/stream/${id}`)).json).toEqual({
      status: "COMPLETED",
      stream: [{ output: "d" }],
    });
    expect((await api.get(`/stream/${id}`)).json).toEqual({ status: "COMPLETED", stream: [] });
    expect((await api.get(`/status/${id}`)).json.output).toEqual(["a", "b", "c", "d"]);
  });

  it("stream with wait=0 answers at once when nothing is new", async () => {
    const p = await startPlatform({ streamWaitMs: 60_000 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    expect((await api.get(`/stream/${id}?wait=0`)).json).toEqual({
      status: "IN_QUEUE",
      stream: [],
    });
  });

  it("progress updates show as IN_PROGRESS with the progress value as output", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const worker = workerFor(p);
    await worker.take();
    await worker.done(id, { status: "IN_PROGRESS", output: "50%" });
    expect((await api.get(`/status/${id}`)).json).toMatchObject({
      status: "IN_PROGRESS",
      output: "50%",
    });
    await worker.done(id, { output: "done" });
    expect((await api.get(`/status/${id}`)).json).toMatchObject({
      status: "COMPLETED",
      output: "done",
    });
  });

  it("purge-queue removes queued jobs only; running ones continue", async () => {
    const p = await startPlatform();
    const api = client(p);
    const running = (await api.post("/run", { input: { n: 0 } })).json.id;
    const worker = workerFor(p);
    await worker.take();
    const queued = [
      (await api.post("/run", { input: { n: 1 } })).json.id,
      (await api.post("/run", { input: { n: 2 } })).json.id,
    ];
    expect((await api.post("/purge-queue", {})).json).toEqual({ removed: 2, status: "completed" });
    for (const id of queued) expect((await api.get(`/status/${id}`)).status).toBe(404);
    expect((await api.get(`/status/${running}`)).json.status).toBe("IN_PROGRESS");
    expect((await api.post("/purge-queue")).json).toEqual({ removed: 0, status: "completed" });
  });

  it("health counts jobs and workers", async () => {
    const p = await startPlatform();
    const api = client(p);
    const empty = await api.get("/health");
    expect(empty.json).toEqual({
      jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
      workers: { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 0, unhealthy: 0 },
    });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await api.post("/run", { input: { i } })).json.id);
    const busy = workerFor(p, "busy");
    const idle = workerFor(p, "idle");
    const sick = workerFor(p, "sick");
    const [a, b, c] = await busy.takeBatch(3);
    await busy.done(a?.id as string, { output: 1 });
    await busy.done(b?.id as string, { error: "x" });
    expect(c).toBeDefined();
    await idle.ping();
    await sick.ping([
      ["status", "unhealthy"],
      ["check", "gpu"],
      ["reason", "RuntimeError: no GPU"],
    ]);
    expect((await api.get("/health")).json).toEqual({
      jobs: { completed: 1, failed: 1, inProgress: 1, inQueue: 1, retried: 0 },
      workers: { idle: 1, initializing: 0, ready: 0, running: 1, throttled: 0, unhealthy: 1 },
    });
    expect(p.workers().find((w) => w.id === "sick")?.unhealthyReason).toBe(
      "gpu: RuntimeError: no GPU",
    );
    await sick.ping();
    expect((await api.get("/health")).json.workers).toMatchObject({ idle: 2, unhealthy: 0 });
  });

  it("stale workers age out of health", async () => {
    const p = await startPlatform({ workerStaleMs: 1 });
    const worker = workerFor(p);
    await worker.ping();
    const seen = p.workers()[0]?.lastSeen as number;
    // Wait on the clock the registry reads rather than a fixed sleep.
    while (Date.now() - seen <= 1) await new Promise((r) => setImmediate(r));
    expect((await client(p).get("/health")).json.workers.idle).toBe(0);
  });

  it("jobs are queued in order and the queue is observable", async () => {
    const p = await startPlatform();
    const api = client(p);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await api.post("/run", { input: { i } })).json.id);
    expect(p.jobs().map((j) => [j.id, j.status, j.input])).toEqual(
      ids.map((id, i) => [id, "IN_QUEUE", { i }]),
    );
    const worker = workerFor(p);
    const reached = jobReaches(p, ids[0], "IN_PROGRESS");
    expect((await worker.take())?.id).toBe(ids[0]);
    expect((await reached).previous).toBe("IN_QUEUE");
    expect((await worker.takeBatch(5)).map((j) => j.id)).toEqual(ids.slice(1));
  });
});
