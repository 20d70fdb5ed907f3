/**
 * The official npm client (`runpod-sdk`), unmodified, with its base URL pointed at the platform's
 * `/v2`: every method it has against our routes, with a protocol-level worker behind them.
 */
import runpodSdk from "runpod-sdk";
import { describe, expect, it } from "vitest";
import { nextEvent, startPlatform, workerFor } from "../helpers/local-platform.js";
import { untilAborted } from "../helpers/protocol-worker.js";

async function sdkFor(options: Parameters<typeof startPlatform>[0] = {}) {
  const p = await startPlatform({ apiKey: "sdk-key", ...options });
  const endpoint = runpodSdk("sdk-key", { baseUrl: `${p.url}/v2` }).endpoint(p.endpointId);
  if (!endpoint) throw new Error("runpod-sdk returned no endpoint");
  return { p, endpoint };
}

describe("runpod-sdk against the local platform", () => {
  it("run, then status until COMPLETED", async () => {
    const { p, endpoint } = await sdkFor();
    const worker = workerFor(p);
    const run = await endpoint.run({ input: { prompt: "hi" } });
    expect(run).toEqual({ id: expect.stringMatching(/-u1$/), status: "IN_QUEUE" });
    expect(await endpoint.status(run.id)).toMatchObject({
      id: run.id,
      status: "IN_QUEUE",
      started: true,
      completed: false,
      succeeded: false,
    });
    await worker.take();
    await worker.done(run.id, { output: { text: "hello" } });
    expect(await endpoint.status(run.id)).toMatchObject({
      status: "COMPLETED",
      output: { text: "hello" },
      completed: true,
      succeeded: true,
    });
  });

  it("runSync returns the finished job", async () => {
    const { p, endpoint } = await sdkFor();
    workerFor(p).start(async (job) => ({ output: { echo: job.input } }));
    expect(await endpoint.runSync({ input: { n: 1 } }, 5_000)).toMatchObject({
      id: expect.stringMatching(/^sync-/),
      status: "COMPLETED",
      output: { echo: { n: 1 } },
      completed: true,
      succeeded: true,
    });
  });

  it("runSync follows an unfinished runsync with status-sync, then gives up at its timeout", async () => {
    const { endpoint } = await sdkFor();
    // No worker: runsync answers IN_QUEUE after wait=1000; the SDK then always makes at least one
    // status-sync call (held another 1000 ms) before its timeout; a refused route would reject.
    const out = await endpoint.runSync({ input: {} }, 1_000);
    expect(out).toMatchObject({ status: "IN_QUEUE", started: true, completed: false });
  });

  it("runSync reports a FAILED job as completed but not succeeded", async () => {
    const { p, endpoint } = await sdkFor();
    workerFor(p).start(async () => ({ error: "bad input" }));
    const out = await endpoint.runSync({ input: {} }, 5_000);
    expect(out).toMatchObject({
      status: "FAILED",
      error: "bad input",
      completed: true,
      succeeded: false,
    });
  });

  it("statusSync waits for the end", async () => {
    const { p, endpoint } = await sdkFor();
    const run = await endpoint.run({ input: {} });
    const worker = workerFor(p);
    const held = endpoint.statusSync(run.id, 20_000);
    await worker.take();
    await worker.done(run.id, { output: 7 });
    expect(await held).toMatchObject({ status: "COMPLETED", output: 7, succeeded: true });
  });

  it("stream yields every chunk object once and ends when the job is final", async () => {
    const { p, endpoint } = await sdkFor({ streamWaitMs: 5_000 });
    workerFor(p).start(async (_job, ctx) => {
      for (const token of ["a", "b", "c"]) await ctx.stream({ token });
      return { output: [] };
    });
    const run = await endpoint.run({ input: {} });
    const chunks = [];
    for await (const chunk of endpoint.stream(run.id)) chunks.push(chunk);
    expect(chunks).toEqual([
      { output: { token: "a" } },
      { output: { token: "b" } },
      { output: { token: "c" } },
    ]);
  });

  it("cancel stops a running job; health and purgeQueue report the queue", async () => {
    const { p, endpoint } = await sdkFor();
    const started = nextEvent(p, (e) => e.type === "job" && e.job.status === "IN_PROGRESS");
    const stopped = new Promise<void>((resolve) =>
      workerFor(p).start(async (_job, ctx) => {
        try {
          return await untilAborted(ctx.signal);
        } finally {
          resolve();
        }
      }),
    );
    const running = await endpoint.run({ input: {} });
    await started;
    await endpoint.run({ input: { n: 1 } });
    await endpoint.run({ input: { n: 2 } });
    expect(await endpoint.health()).toEqual({
      jobs: { completed: 0, failed: 0, inProgress: 1, inQueue: 2, retried: 0 },
      workers: { idle: 0, initializing: 0, ready: 0, running: 1, throttled: 0, unhealthy: 0 },
    });
    expect(await endpoint.purgeQueue()).toEqual({ removed: 2, status: "completed" });
    expect(await endpoint.cancel(running.id)).toEqual({ id: running.id, status: "CANCELLED" });
    await stopped;
    expect(await endpoint.status(running.id)).toMatchObject({
      status: "CANCELLED",
      completed: true,
    });
  });

  it("a wrong key is refused (xior rejects on 401)", async () => {
    const { p } = await sdkFor();
    const wrong = runpodSdk("not-the-key", { baseUrl: `${p.url}/v2` }).endpoint(p.endpointId);
    await expect(wrong?.health()).rejects.toThrow(/401/);
  });
});
