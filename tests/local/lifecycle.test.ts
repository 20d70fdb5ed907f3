/**
 * Cancel, stop, retry, execution timeout, TTL and retention (§B.3.2, §B.6, §A.8) over real HTTP.
 * Timing knobs are small; the tests await platform events, never fixed sleeps.
 */
import { describe, expect, it } from "vitest";
import {
  client,
  jobReaches,
  nextEvent,
  startPlatform,
  workerFor,
} from "../helpers/local-platform.js";
import { untilAborted } from "../helpers/protocol-worker.js";

describe("cancel", () => {
  it("a queued job becomes CANCELLED and is never handed out", async () => {
    const p = await startPlatform({ longPollMs: 50 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    expect((await api.post(`/cancel/${id}`, {})).json).toEqual({ id, status: "CANCELLED" });
    expect(await workerFor(p).take()).toBeUndefined();
    expect((await api.get(`/status/${id}`)).json).toEqual({ id, status: "CANCELLED" });
    expect(p.health().jobs.inQueue).toBe(0);
  });

  it("a running job becomes CANCELLED and the stop reaches its handler; a late result is dropped", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const api = client(p);
    const worker = workerFor(p);
    let stopped: (reason: unknown) => void = () => {};
    const handlerStopped = new Promise((r) => {
      stopped = r;
    });
    const started = nextEvent(p, (e) => e.type === "job" && e.job.status === "IN_PROGRESS");
    worker.start(async (_job, ctx) => {
      try {
        return await untilAborted(ctx.signal);
      } catch (reason) {
        stopped(reason);
        throw reason;
      }
    });
    const { id } = (await api.post("/run", { input: {} })).json;
    await started;
    expect((await api.post(`/cancel/${id}`)).json).toEqual({ id, status: "CANCELLED" });
    expect(String(await handlerStopped)).toContain("stopped by the platform");

    // The worker of a cancelled job may still post; the job must stay CANCELLED.
    expect((await worker.done(id, { output: "late" })).status).toBe(200);
    const status = (await api.get(`/status/${id}`)).json;
    expect(status).toMatchObject({ id, status: "CANCELLED", workerId: "w1" });
    expect(status.output).toBeUndefined();
    expect(p.workers()[0]?.state).toBe("idle");
  });

  it("a stop pushed before the worker polls is delivered on its next job-stop", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const worker = workerFor(p);
    await worker.take();
    await api.post(`/cancel/${id}`);
    expect(await worker.stopPoll()).toEqual([id]);
  });

  it("cancelling a final job leaves it as it is; an unknown job is 404", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const worker = workerFor(p);
    await worker.take();
    await worker.done(id, { output: 1 });
    expect((await api.post(`/cancel/${id}`)).json).toEqual({ id, status: "COMPLETED" });
    const missing = await api.post("/cancel/nope-u1");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "job nope-u1 not found" });
  });
});

describe("retry", () => {
  it("moves a FAILED job back to IN_QUEUE with the same id, without its old output, and counts it", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: { try: 1 } })).json;
    const worker = workerFor(p);
    await worker.take();
    await worker.streamChunk(id, "old chunk");
    await worker.done(id, { output: "partial", error: "flaky" });
    expect((await api.post(`/retry/${id}`)).json).toEqual({ id, status: "IN_QUEUE" });
    expect((await api.get(`/status/${id}`)).json).toEqual({ id, status: "IN_QUEUE", retries: 1 });
    expect((await api.get(`/stream/${id}?wait=0`)).json.stream).toEqual([]);

    const again = await worker.take();
    expect(again).toEqual({ id, input: { try: 1 } });
    await worker.done(id, { output: "ok" });
    expect((await api.get(`/status/${id}`)).json).toMatchObject({
      id,
      status: "COMPLETED",
      output: "ok",
      retries: 1,
    });
    expect(p.health().jobs).toMatchObject({ completed: 1, failed: 1, retried: 1 });
  });

  it("refuses jobs that are not FAILED or TIMED_OUT, and unknown ones", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const queued = await api.post(`/retry/${id}`);
    expect(queued.status).toBe(400);
    expect(queued.json).toEqual({
      error: `job ${id} is IN_QUEUE; only FAILED or TIMED_OUT jobs can be retried`,
    });
    await api.post(`/cancel/${id}`);
    expect((await api.post(`/retry/${id}`)).status).toBe(400);
    expect((await api.post("/retry/nope-u1")).status).toBe(404);
  });
});

describe("execution timeout", () => {
  it("times a running job out, stops its handler, and lets it be retried", async () => {
    const p = await startPlatform({ executionTimeoutMs: 50, longPollMs: 60_000 });
    const api = client(p);
    const worker = workerFor(p);
    let reason: unknown;
    const handlerStopped = new Promise<void>((resolve) => {
      worker.start(async (job, ctx) => {
        if ((job.input as { fast?: boolean }).fast) return { output: "fast" };
        try {
          return await untilAborted(ctx.signal);
        } catch (r) {
          reason = r;
          resolve();
          throw r;
        }
      });
    });
    const submitted = await api.post("/run", { input: {} });
    const id: string = submitted.json.id;
    const timedOut = await jobReaches(p, id, "TIMED_OUT");
    expect(timedOut.previous).toBe("IN_PROGRESS");
    await handlerStopped;
    expect(String(reason)).toContain("stopped by the platform");
    const status = (await api.get(`/status/${id}`)).json;
    expect(status).toMatchObject({ id, status: "TIMED_OUT", workerId: "w1" });
    expect(status.executionTime).toBeGreaterThanOrEqual(0);

    const again = jobReaches(p, id, "TIMED_OUT"); // subscribed first: 50 ms is short
    expect((await api.post(`/retry/${id}`)).json).toEqual({ id, status: "IN_QUEUE" });
    await again; // the handler runs until stopped again
  });

  it("a result posted after the timeout does not resurrect the job", async () => {
    const p = await startPlatform({ executionTimeoutMs: 20 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const timedOut = jobReaches(p, id, "TIMED_OUT");
    const worker = workerFor(p);
    await worker.take();
    await timedOut;
    expect((await worker.done(id, { output: "too late" })).status).toBe(200);
    expect((await worker.streamChunk(id, "late chunk")).status).toBe(200);
    const status = (await api.get(`/status/${id}`)).json;
    expect(status.status).toBe("TIMED_OUT");
    expect(status.output).toBeUndefined();
    expect((await api.get(`/stream/${id}`)).json).toEqual({ status: "TIMED_OUT", stream: [] });
    expect(p.health().jobs).toMatchObject({ completed: 0, failed: 0, inProgress: 0 });
  });

  it("policy.executionTimeout overrides the platform default", async () => {
    const p = await startPlatform({ executionTimeoutMs: 30 });
    const api = client(p);
    const patient = (await api.post("/run", { input: {}, policy: { executionTimeout: 600_000 } }))
      .json.id;
    const plain = (await api.post("/run", { input: {} })).json.id;
    const timedOut = jobReaches(p, plain, "TIMED_OUT");
    await workerFor(p).takeBatch(2);
    await timedOut;
    expect((await api.get(`/status/${patient}`)).json.status).toBe("IN_PROGRESS");
  });
});

describe("TTL", () => {
  it("deletes a queued job (404) when its TTL expires", async () => {
    const p = await startPlatform({ ttlMs: 30 });
    const api = client(p);
    const expired = nextEvent(p, (e) => e.type === "job-removed" && e.reason === "ttl");
    const { id } = (await api.post("/run", { input: {} })).json;
    expect(await expired).toMatchObject({ id });
    const res = await api.get(`/status/${id}`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: `job ${id} not found` });
    expect(p.health().jobs.inQueue).toBe(0);
  });

  it("deletes a running job and tells its worker to stop", async () => {
    const p = await startPlatform({ ttlMs: 100 });
    const api = client(p);
    const worker = workerFor(p);
    // Hold a job-take first so the job starts the moment it is submitted, whatever the load.
    const taking = worker.take();
    while (p.heldRequests() < 1) await new Promise((r) => setImmediate(r));
    const { id } = (await api.post("/run", { input: {} })).json;
    expect((await taking)?.id).toBe(id);
    expect(await worker.stopPoll()).toEqual([id]); // held until the TTL fires
    expect((await api.get(`/status/${id}`)).status).toBe(404);
    expect((await worker.done(id, { output: 1 })).status).toBe(404);
  });

  it("a status-sync held on the job answers 404 when it is deleted", async () => {
    const p = await startPlatform({ ttlMs: 50 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const held = await api.get(`/status-sync/${id}?wait=60000`);
    expect(held.status).toBe(404);
  });

  it("policy.ttl overrides the platform default", async () => {
    const p = await startPlatform({ ttlMs: 30 });
    const api = client(p);
    const kept = (await api.post("/run", { input: {}, policy: { ttl: 86_400_000 } })).json.id;
    const expired = nextEvent(p, (e) => e.type === "job-removed" && e.reason === "ttl");
    const dropped = (await api.post("/run", { input: {} })).json.id;
    expect(await expired).toMatchObject({ id: dropped });
    expect((await api.get(`/status/${kept}`)).json.status).toBe("IN_QUEUE");
  });

  it("deletes a final job at its TTL when that comes before its retention", async () => {
    const p = await startPlatform({ ttlMs: 1_500, runRetentionMs: 60_000 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const removed = nextEvent(p, (e) => e.type === "job-removed" && e.id === id);
    expect((await api.post(`/cancel/${id}`)).json.status).toBe("CANCELLED");
    expect(await removed).toMatchObject({ reason: "ttl" });
    expect((await api.get(`/status/${id}`)).status).toBe(404);
  });

  it("a retried job is under its TTL again, from submission, not its retention", async () => {
    const p = await startPlatform({ ttlMs: 2_000, runRetentionMs: 1_000 });
    const api = client(p);
    const worker = workerFor(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    expect((await worker.take())?.id).toBe(id);
    const removed = nextEvent(p, (e) => e.type === "job-removed" && e.id === id);
    await worker.done(id, { error: "flaky" });
    // Final with the TTL further off than the retention: retention's timer is the one armed;
    // the retry must swap it back for the TTL's.
    expect((await api.post(`/retry/${id}`)).json).toEqual({ id, status: "IN_QUEUE" });
    expect(await removed).toMatchObject({ reason: "ttl" });
    expect((await api.get(`/status/${id}`)).status).toBe(404);
  });
});

describe("retention", () => {
  it("keeps /run results for runRetentionMs and /runsync results for syncRetentionMs", async () => {
    const p = await startPlatform({ runRetentionMs: 60_000, syncRetentionMs: 30 });
    const api = client(p);
    workerFor(p).start(async () => ({ output: "r" }));
    const run = (await api.post("/run", { input: {} })).json.id;
    expect((await api.get(`/status-sync/${run}`)).json.status).toBe("COMPLETED");
    const removed = nextEvent(p, (e) => e.type === "job-removed" && e.reason === "retention");
    const sync = (await api.post("/runsync", { input: {} })).json;
    expect(sync.status).toBe("COMPLETED");
    expect(await removed).toMatchObject({ id: sync.id });
    expect((await api.get(`/status/${sync.id}`)).status).toBe(404);
    expect((await api.get(`/status/${run}`)).json.status).toBe("COMPLETED");
  });

  it("deletes final /run jobs after runRetentionMs, cancelled ones included", async () => {
    const p = await startPlatform({ runRetentionMs: 30 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const removed = nextEvent(p, (e) => e.type === "job-removed" && e.id === id);
    await api.post(`/cancel/${id}`);
    expect(await removed).toMatchObject({ reason: "retention" });
    expect((await api.post(`/retry/${id}`)).status).toBe(404);
  });
});

describe("maxFinishedJobs", () => {
  it("deletes the oldest final jobs past the cap (then 404); queued and running jobs are never deleted", async () => {
    const p = await startPlatform({ maxFinishedJobs: 3, runRetentionMs: 60_000, longPollMs: 50 });
    const api = client(p);
    const worker = workerFor(p);
    const running = (await api.post("/run", { input: { n: "running" } })).json.id;
    expect((await worker.take())?.id).toBe(running);
    const queued = (await api.post("/run", { input: { n: "queued" } })).json.id;

    const finished: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = (await api.post("/run", { input: { i } })).json;
      finished.push(id);
    }
    const removed: string[] = [];
    const stop = p.subscribe((e) => {
      if (e.type === "job-removed") removed.push(e.id);
    });
    // Cancelled in reverse submission order: the first to end is the first deleted, whatever its age.
    for (const id of [...finished].reverse()) await api.post(`/cancel/${id}`);
    expect(removed).toEqual([finished[4], finished[3]]);
    for (const id of [finished[4], finished[3]])
      expect((await api.get(`/status/${id}`)).status).toBe(404);
    for (const id of finished.slice(0, 3))
      expect((await api.get(`/status/${id}`)).json.status).toBe("CANCELLED");
    expect((await api.get(`/status/${queued}`)).json.status).toBe("IN_QUEUE");
    expect((await api.get(`/status/${running}`)).json.status).toBe("IN_PROGRESS");

    // The running job ends: it is kept, and the oldest final job goes.
    expect((await worker.done(running, { output: "r" })).status).toBe(200);
    expect((await api.get(`/status/${running}`)).json).toMatchObject({
      status: "COMPLETED",
      output: "r",
    });
    expect(removed).toEqual([finished[4], finished[3], finished[2]]);
    expect((await api.get(`/status/${finished[2]}`)).status).toBe(404);
    stop();
  });

  it("a /runsync loop keeps at most maxFinishedJobs jobs", async () => {
    const p = await startPlatform({ maxFinishedJobs: 5 });
    const api = client(p);
    workerFor(p).start(async (job) => ({ output: job.input }));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = (await api.post("/runsync", { input: { i } })).json;
      expect(answer).toMatchObject({ status: "COMPLETED", output: { i } });
      ids.push(answer.id);
    }
    expect(p.jobs().map((j) => j.id)).toEqual(ids.slice(-5));
  });

  it("refuses a cap below 1", async () => {
    await expect(startPlatform({ maxFinishedJobs: 0 })).rejects.toThrow(/maxFinishedJobs/);
  });
});
