/**
 * End to end: the local platform over real HTTP, our worker runtime in a child process (connected
 * through the production worker protocol with the platform's `workerEnv()`), and our `Endpoint`
 * client, plus the npm `runpod-sdk` client. One platform and one worker serve the whole file; each
 * test tags its jobs so it can wait for its own platform events.
 */
import { resolve } from "node:path";
import runpodSdk from "runpod-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Endpoint,
  JobCancelledError,
  JobFailedError,
  JobTimedOutError,
  NotFoundError,
  VERSION,
} from "../../src/index.js";
import {
  createLocalPlatform,
  type JobSnapshot,
  type LocalPlatform,
} from "../../src/serverless/index.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";
import type { Input } from "./fixtures/worker.js";

const FIXTURE = resolve(import.meta.dirname, "fixtures/worker.ts");
const API_KEY = "e2e-key";

function startWorker(platform: LocalPlatform, workerId: string, env: Record<string, string> = {}) {
  return spawnWorker(FIXTURE, {
    ...platform.workerEnv(workerId),
    RUNPOD_PING_INTERVAL: "100",
    ...env,
  });
}

function endpointFor(platform: LocalPlatform): Endpoint<Input> {
  return new Endpoint<Input>(platform.endpointId, {
    baseUrl: `${platform.url}/v2`,
    apiKey: API_KEY,
  });
}

/** Resolves with the first `count` later job events that match. Subscribe before causing them. */
function jobEvents(
  platform: LocalPlatform,
  match: (job: JobSnapshot, previous?: string) => boolean,
  count = 1,
) {
  return new Promise<JobSnapshot[]>((done) => {
    const seen: JobSnapshot[] = [];
    const stop = platform.subscribe((event) => {
      if (event.type !== "job" || !match(event.job, event.previous)) return;
      seen.push(event.job);
      if (seen.length === count) {
        stop();
        done(seen);
      }
    });
  });
}

const keyOf = (job: JobSnapshot) => (job.input as { key?: string }).key;

/** `count` hold jobs with `key` were taken by a worker (entered IN_PROGRESS). */
const heldRunning = (platform: LocalPlatform, key: string, count = 1) =>
  jobEvents(
    platform,
    // The take moves IN_QUEUE → IN_PROGRESS; progress posts are IN_PROGRESS → IN_PROGRESS.
    (j, previous) => previous === "IN_QUEUE" && j.status === "IN_PROGRESS" && keyOf(j) === key,
    count,
  );

/** The worker's handler for `jobId` is running and listening to its signal (the fixture logs it). */
const holding = (worker: WorkerProcess, jobId: string) =>
  worker.waitForLine(new RegExp(`\\| ${jobId} \\| holding$`));

/** The worker's handler saw its signal abort (the fixture logs it). */
const abortedLine = (worker: WorkerProcess, jobId: string) =>
  worker.waitForLine(new RegExp(`\\| ${jobId} \\| aborted: stopped$`));

describe("local platform + worker process + Endpoint", () => {
  let platform: LocalPlatform;
  let worker: WorkerProcess;
  let ep: Endpoint<Input>;

  beforeAll(async () => {
    platform = await createLocalPlatform({
      port: 0,
      apiKey: API_KEY,
      longPollMs: 2_000,
      streamWaitMs: 500,
    });
    worker = startWorker(platform, "e2e-1");
    ep = endpointFor(platform);
  });
  afterAll(async () => {
    worker.kill();
    await platform.close();
  });

  it("runSync returns the handler's output", async () => {
    expect(await ep.runSync({ kind: "echo", value: { name: "Ada" } })).toEqual({
      echo: { name: "Ada" },
      worker: "e2e-1",
    });
  });

  it("run, then output() and status()", async () => {
    const job = await ep.run({ kind: "echo", value: [1, 2, 3] });
    expect(await job.output()).toEqual({ echo: [1, 2, 3], worker: "e2e-1" });
    expect(await job.status()).toMatchObject({
      id: job.id,
      status: "COMPLETED",
      workerId: "e2e-1",
      output: { echo: [1, 2, 3] },
    });
  });

  it("stream() yields a streaming handler's chunks in order, each once", async () => {
    const job = await ep.run({ kind: "stream", count: 40 });
    const chunks: unknown[] = [];
    for await (const chunk of job.stream()) chunks.push(chunk);
    expect(chunks).toEqual(Array.from({ length: 40 }, (_, i) => ({ i })));
    // Without returnAggregateStream the final output of a stream is an empty list.
    expect(await job.output()).toEqual([]);
  });

  it("progress shows in status() while the job runs", async () => {
    const progressed = jobEvents(
      platform,
      (j, previous) => previous === "IN_PROGRESS" && keyOf(j) === "progress",
    );
    const job = await ep.run({ kind: "hold", key: "progress", progress: { step: 1, of: 2 } });
    await progressed;
    expect(await job.status()).toMatchObject({ status: "IN_PROGRESS", output: { step: 1, of: 2 } });
    expect(await ep.runSync({ kind: "release", key: "progress" })).toEqual({ released: 1 });
    expect(await job.output()).toEqual({ released: true, key: "progress" });
  });

  it("cancel aborts the running handler's signal; the job ends CANCELLED and the worker goes on", async () => {
    const job = await ep.run({ kind: "hold", key: "cancel" });
    await holding(worker, job.id);
    expect(await job.cancel()).toMatchObject({ id: job.id, status: "CANCELLED" });
    await abortedLine(worker, job.id);
    await expect(job.output()).rejects.toBeInstanceOf(JobCancelledError);
    expect((await job.status()).status).toBe("CANCELLED");
    expect(await ep.runSync({ kind: "echo", value: "still here" })).toMatchObject({
      echo: "still here",
    });
  });

  it("a throwing handler fails the job with the worker's parsed error", async () => {
    const failure = await ep.runSync({ kind: "fail", message: "bad prompt" }).catch((e) => e);
    expect(failure).toBeInstanceOf(JobFailedError);
    const details = (failure as JobFailedError).details;
    expect(details).toMatchObject({
      errorType: "TypeError",
      errorMessage: "bad prompt",
      workerId: "e2e-1",
      runpodVersion: VERSION,
    });
    // The JS stack of the throw, pointing into the worker's own file.
    expect(details?.errorTraceback).toMatch(/TypeError: bad prompt\n\s+at .*fixtures\/worker\.ts/);
    expect((failure as JobFailedError).message).toContain("bad prompt");
  });

  it("retry() runs a FAILED job again under the same id", async () => {
    const job = await ep.run({ kind: "fail-once", message: "first attempt" });
    await expect(job.output()).rejects.toThrow(/first attempt/);
    expect(await job.retry()).toMatchObject({ id: job.id, status: "IN_QUEUE" });
    expect(await job.output()).toEqual({ recovered: true });
    expect(await job.status()).toMatchObject({ status: "COMPLETED", retries: 1 });
  });

  it("policy.executionTimeout ends the job TIMED_OUT and stops the handler", async () => {
    // 5 s is the smallest executionTimeout the API accepts.
    const job = await ep.run(
      { kind: "hold", key: "timeout" },
      { policy: { executionTimeout: 5_000 } },
    );
    await expect(job.output()).rejects.toBeInstanceOf(JobTimedOutError);
    await abortedLine(worker, job.id);
    expect((await job.status()).status).toBe("TIMED_OUT");
  });

  it("health counts the worker and the jobs it completed and failed", async () => {
    const before = await ep.health();
    await ep.runSync({ kind: "echo", value: 1 });
    await ep.runSync({ kind: "echo", value: 2 });
    await ep.runSync({ kind: "fail", message: "counted" }).catch(() => undefined);
    const after = await ep.health();
    expect(after.jobs.completed - before.jobs.completed).toBe(2);
    expect(after.jobs.failed - before.jobs.failed).toBe(1);
    expect(after.jobs).toMatchObject({ inProgress: 0, inQueue: 0 });
    // One worker seen, from its pings and job-takes.
    expect(after.workers.idle + after.workers.running).toBe(1);
    expect(after.workers.unhealthy).toBe(0);
  });

  it("runs several jobs at once with concurrency > 1", async () => {
    const running = heldRunning(platform, "parallel", 3);
    const jobs = await Promise.all([1, 2, 3].map(() => ep.run({ kind: "hold", key: "parallel" })));
    // Only the release below ends a hold job: three taken means three running at once.
    await running;
    expect((await ep.health()).jobs.inProgress).toBe(3);
    expect(await ep.runSync({ kind: "release", key: "parallel" })).toEqual({ released: 3 });
    const outputs = await Promise.all(jobs.map((j) => j.output()));
    expect(outputs).toEqual(Array(3).fill({ released: true, key: "parallel" }));
  });

  it("purgeQueue removes the queued jobs while running ones go on", async () => {
    // Four hold jobs fill the worker's four slots, so later jobs stay queued.
    const running = heldRunning(platform, "purge", 4);
    const holds = await Promise.all([1, 2, 3, 4].map(() => ep.run({ kind: "hold", key: "purge" })));
    await running;
    const queued = await Promise.all([1, 2].map((n) => ep.run({ kind: "echo", value: n })));
    expect((await queued[0]?.status())?.status).toBe("IN_QUEUE");
    expect(await ep.purgeQueue()).toMatchObject({ removed: 2 });
    for (const job of queued) await expect(job.status()).rejects.toBeInstanceOf(NotFoundError);
    expect((await ep.health()).jobs).toMatchObject({ inProgress: 4, inQueue: 0 });
    // A release job would only queue behind the holds: cancel them instead.
    await Promise.all(holds.map((j) => holding(worker, j.id)));
    await Promise.all(holds.map((j) => j.cancel()));
    await Promise.all(holds.map((j) => abortedLine(worker, j.id)));
  });

  it("re-attaches to a job with Endpoint.job", async () => {
    const job = await ep.run({ kind: "echo", value: "again" });
    const same = Endpoint.job(platform.endpointId, job.id, {
      baseUrl: `${platform.url}/v2`,
      apiKey: API_KEY,
    });
    expect(same.id).toBe(job.id);
    expect(await same.output()).toEqual({ echo: "again", worker: "e2e-1" });
    expect(await same.status()).toMatchObject({ id: job.id, status: "COMPLETED" });
  });

  it("serves the npm runpod-sdk client: runSync and stream", async () => {
    const sdk = runpodSdk(API_KEY, { baseUrl: `${platform.url}/v2` }).endpoint(platform.endpointId);
    if (!sdk) throw new Error("runpod-sdk returned no endpoint");
    expect(await sdk.runSync({ input: { kind: "echo", value: "sdk" } }, 10_000)).toMatchObject({
      status: "COMPLETED",
      output: { echo: "sdk", worker: "e2e-1" },
    });
    const run = await sdk.run({ input: { kind: "stream", count: 5 } });
    const chunks: unknown[] = [];
    for await (const chunk of sdk.stream(run.id)) chunks.push(chunk);
    expect(chunks).toEqual([0, 1, 2, 3, 4].map((i) => ({ output: { i } })));
  });

  it("SIGTERM ends the idle worker with exit code 0", async () => {
    worker.child.kill("SIGTERM");
    expect((await worker.exited).code).toBe(0);
  });
});

describe("refreshWorker (stopPod)", () => {
  let platform: LocalPlatform;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    platform = await createLocalPlatform({ port: 0, apiKey: API_KEY, longPollMs: 2_000 });
  });
  afterAll(async () => {
    for (const w of workers) w.kill();
    await platform.close();
  });

  it("the worker exits after its job, the platform records the refresh and keeps serving", async () => {
    const ep = endpointFor(platform);
    const refreshing = startWorker(platform, "e2e-refresh", { REFRESH_WORKER: "1" });
    workers.push(refreshing);
    expect(await ep.runSync({ kind: "echo", value: "once" })).toEqual({
      echo: "once",
      worker: "e2e-refresh",
    });
    expect((await refreshing.exited).code).toBe(0);
    expect(platform.workers().find((w) => w.id === "e2e-refresh")).toMatchObject({
      refreshRequested: true,
      jobs: [],
    });
    // Production would start a new worker in its place; the queue is unaffected.
    const job = await ep.run({ kind: "echo", value: "next" });
    expect((await job.status()).status).toBe("IN_QUEUE");
    const replacement = startWorker(platform, "e2e-replacement");
    workers.push(replacement);
    expect(await job.output()).toEqual({ echo: "next", worker: "e2e-replacement" });
  });
});
