/**
 * Every failed job leaves one ERROR line saying what failed, thrown or not; a platform stop is
 * not a failure and is logged at INFO only.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakePlatform } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

let fake: FakePlatform;
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await fake.close();
});

const errorsOf = (logs: string[], id: string) =>
  logs.filter((l) => l.startsWith("ERROR") && l.includes(`| ${id} |`));

/** Resolves on the next abort of `signal`, rejecting with its reason as a well-behaved handler does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
  );

describe("failure log lines", () => {
  it("a result JSON cannot hold (a BigInt)", async () => {
    const w = runWorker(fake, { handler: () => ({ n: 1n }) });
    fake.enqueue({ id: "big", input: null });
    await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
    expect(errorsOf(w.logs, "big")).toEqual([
      expect.stringMatching(
        /^ERROR {2}\| big \| Job failed: the handler's result cannot be sent as JSON: .*BigInt/,
      ),
    ]);
  });

  it("timeoutMs expiry, whether the handler ignores its signal or rejects with it", async () => {
    const w = runWorker(fake, {
      timeoutMs: 100,
      concurrency: 2,
      handler: (job, ctx) =>
        job.input === "ignores" ? new Promise(() => {}) : untilAborted(ctx.signal),
    });
    fake.enqueue({ id: "ignores", input: "ignores" }, { id: "honours", input: "honours" });
    await fake.waitForCount((r) => r.route === "job-done", 2);
    await w.stop();
    for (const id of ["ignores", "honours"]) {
      expect(errorsOf(w.logs, id)).toEqual([
        `ERROR  | ${id} | Job failed: Job ${id} exceeded timeoutMs (100 ms) and was aborted`,
      ]);
    }
  });

  it("an error the handler returns, and input its schema refuses", async () => {
    const w = runWorker(fake, {
      inputSchema: {
        "~standard": {
          version: 1,
          vendor: "test",
          validate: (v: unknown) =>
            v === "bad" ? { issues: [{ message: "not this one" }] } : { value: v },
        },
      },
      handler: () => ({ error: "the model is not loaded" }),
    });
    fake.enqueue({ id: "returned", input: "ok" }, { id: "invalid", input: "bad" });
    await fake.waitForCount((r) => r.route === "job-done", 2);
    await w.stop();
    expect(errorsOf(w.logs, "returned")).toEqual([
      "ERROR  | returned | Job failed: the model is not loaded",
    ]);
    expect(errorsOf(w.logs, "invalid")).toEqual([
      "ERROR  | invalid | Job failed: Invalid job input: not this one",
    ]);
  });

  it("a platform stop is INFO, even when the handler rejects with the abort", async () => {
    const w = runWorker(fake, { handler: (_job, ctx) => untilAborted(ctx.signal) });
    fake.enqueue({ id: "cancelled", input: null });
    await w.logged("INFO   | cancelled | Started.");
    fake.stop("cancelled");
    await w.logged("INFO   | cancelled | Job stopped.");
    await w.stop();
    expect(errorsOf(w.logs, "cancelled")).toEqual([]);
    expect(fake.of("job-done")).toEqual([]);
  });
});
