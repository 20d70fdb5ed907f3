/** No lost results (retries), the per-job stop channel (§A.8), timeouts, and live concurrency. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWorkerError } from "../../src/core/job-errors.js";
import { JobAbortedError } from "../../src/serverless/job-aborted-error.js";
import { FakePlatform } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

let fake: FakePlatform;
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await fake.close();
});

describe("result delivery", () => {
  it("retries job-done through seconds of 503 and delivers the result exactly once", async () => {
    let firstAt: number | undefined;
    fake.respond = (req) => {
      if (req.route !== "job-done") return 200;
      firstAt ??= performance.now();
      return performance.now() - firstAt < 2_500 ? 503 : 200;
    };
    const w = runWorker(fake, { concurrency: 2, handler: () => ({ ok: "é" }) });
    fake.enqueue({ id: "r1", input: null });
    await fake.waitFor((r) => r.route === "job-done" && r.status === 503);
    // Still counted as in progress while the result is retried.
    await fake.waitFor((r) => r.route === "job-take" && r.query.endsWith("job_in_progress=1"));
    const delivered = await fake.waitFor((r) => r.route === "job-done" && r.status === 200);
    await w.stop();
    const attempts = fake.of("job-done");
    expect(attempts.length).toBeGreaterThan(2);
    expect(attempts.filter((r) => r.status === 200)).toEqual([delivered]);
    expect(new Set(attempts.map((r) => r.body))).toEqual(new Set(['{"output": {"ok": "é"}}']));
    expect(
      w.logs.some((l) =>
        l.startsWith("WARN   | r1 | Failed to send the result of job r1 (attempt 1)"),
      ),
    ).toBe(true);
  });

  it("gives up at once on a 4xx, and at the end of the window on 5xx, logging ERROR with the job id", async () => {
    fake.respond = (req) => (req.jobId === "four" ? 404 : 500);
    const w = runWorker(fake, { concurrency: 2, resultRetryWindowMs: 300, handler: () => 1 });
    fake.enqueue({ id: "four", input: null }, { id: "five", input: null });
    await fake.until(() =>
      w.logs.some((l) => l.includes("Gave up sending the result of job five")),
    );
    await w.stop();
    expect(fake.of("job-done").filter((r) => r.jobId === "four")).toHaveLength(1);
    expect(fake.of("job-done").filter((r) => r.jobId === "five").length).toBeGreaterThan(1);
    expect(w.logs).toContain(
      "ERROR  | four | Gave up sending the result of job four after 1 attempt(s): result of job four: platform answered 404",
    );
  });
});

describe("stop channel", () => {
  it("aborts the stopped job's signal, posts nothing for it, and lets the other job finish", async () => {
    const reasons: Record<string, unknown> = {};
    let releaseOther!: () => void;
    const other = new Promise<void>((r) => {
      releaseOther = r;
    });
    const started: string[] = [];
    const w = runWorker(fake, {
      concurrency: 2,
      handler: async (job, ctx) => {
        started.push(job.id);
        if (job.id === "keep") {
          await other;
          return "kept";
        }
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        reasons[job.id] = ctx.signal.reason;
        return "should not be posted";
      },
    });
    fake.enqueue({ id: "stopme", input: null }, { id: "keep", input: null });
    await fake.waitFor((r) => r.route === "job-stop");
    await fake.until(() => started.length === 2);
    fake.stop("stopme", "unknown-job");
    await w.logged("INFO   | stopme | Job stopped.");
    releaseOther();
    await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
    expect(reasons.stopme).toBeInstanceOf(JobAbortedError);
    expect((reasons.stopme as JobAbortedError).abortCause).toBe("stopped");
    expect(fake.of("job-done").map((r) => [r.jobId, r.body])).toEqual([
      ["keep", '{"output": "kept"}'],
    ]);
    const stopPoll = fake.of("job-stop")[0]!;
    expect(stopPoll.path).toBe("/v2/fake-ep/job-stop/fake-worker-1");
    expect(stopPoll.query).toBe("gpu=NVIDIA+H100+80GB+HBM3");
  });

  it("stops retrying a result once the platform stops the job, and frees its slot", async () => {
    fake.respond = (req) => (req.route === "job-done" ? 503 : 200);
    const w = runWorker(fake, { handler: () => "too late" });
    fake.enqueue({ id: "retried", input: null });
    await fake.waitForCount((r) => r.route === "job-done" && r.status === 503, 2);
    fake.stop("retried");
    await w.logged("INFO   | retried | Stopping job.");
    // The slot is free once the next take says nothing is in progress; no attempt came meanwhile.
    const attempts = fake.of("job-done").length;
    const stoppedAt = fake.requests.length;
    await fake.waitFor(
      (r) => r.seq > stoppedAt && r.route === "job-take" && r.query.endsWith("job_in_progress=0"),
    );
    await w.stop();
    expect(fake.of("job-done")).toHaveLength(attempts);
    expect(w.logs.some((l) => l.includes("Gave up sending"))).toBe(false);
  });

  it("does not run a job whose stop arrived before the job itself", async () => {
    const started: string[] = [];
    const w = runWorker(fake, {
      handler: (job) => {
        started.push(job.id);
        return "ran";
      },
    });
    // The stop and the job-take answer travel on different connections: here the stop wins.
    const firstStopPoll = await fake.waitFor((r) => r.route === "job-stop");
    fake.stop("early");
    // The worker's next stop poll proves it has read the first answer.
    await fake.waitFor((r) => r.route === "job-stop" && r.seq > firstStopPoll.seq);
    fake.enqueue({ id: "early", input: null }, { id: "later", input: null });
    await fake.waitFor((r) => r.route === "job-done" && r.jobId === "later");
    await w.stop();
    expect(started).toEqual(["later"]);
    expect(fake.of("job-done").map((r) => r.jobId)).toEqual(["later"]);
    expect(w.logs).toContain(
      "INFO   | early | Stop signal arrived before the job; not running it.",
    );
  });
});

describe("timeoutMs", () => {
  it("aborts the signal, reports FAILED with a timeout error and frees the slot even if the handler ignores it", async () => {
    let signalReason: unknown;
    const w = runWorker(fake, {
      timeoutMs: 150,
      handler: (job, ctx) => {
        if (job.id === "second") return "ran";
        ctx.signal.addEventListener("abort", () => {
          signalReason = ctx.signal.reason;
        });
        return new Promise(() => {}); // never settles
      },
    });
    fake.enqueue({ id: "stuck", input: null }, { id: "second", input: null });
    await fake.waitForCount((r) => r.route === "job-done", 2);
    await w.stop();
    const [stuck, second] = fake.of("job-done");
    const details = parseWorkerError((JSON.parse(stuck!.body) as { error: string }).error);
    expect(details?.errorType).toBe("TimeoutError");
    expect(details?.errorMessage).toBe("Job stuck exceeded timeoutMs (150 ms) and was aborted");
    expect(second?.body).toBe('{"output": "ran"}');
    expect((signalReason as JobAbortedError).abortCause).toBe("timeout");
  });
});

describe("concurrency", () => {
  it("logs and ignores bad callback answers, and applies good ones live", async () => {
    const answers: unknown[] = ["boom", 0, "3", 2.5, 2];
    const w = runWorker(fake, {
      handler: () => 1,
      concurrency: (current) => {
        const next = answers.length > 0 ? answers.shift() : current;
        if (next === "boom") throw new Error("callback failed");
        return next as number;
      },
    });
    await fake.waitFor((r) => r.route === "job-take-batch" && r.query.includes("batch_size=2"));
    await w.stop();
    const warnings = w.logs.filter((l) => l.startsWith("WARN"));
    expect(warnings).toEqual([
      "WARN   | The concurrency function threw (callback failed); keeping 1.",
      "WARN   | The concurrency function returned 0, not a positive integer; keeping 1.",
      "WARN   | The concurrency function returned 3, not a positive integer; keeping 1.",
      "WARN   | The concurrency function returned 2.5, not a positive integer; keeping 1.",
    ]);
    expect(w.logs).toContain("INFO   | Concurrency changed from 1 to 2.");
  });

  it("raises the limit while a job runs, without draining", async () => {
    let limit = 1;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const w = runWorker(fake, { concurrency: () => limit, handler: async () => gate });
    fake.enqueue({ id: "long", input: null });
    await w.logged("INFO   | long | Started.");
    limit = 3;
    const batch = await fake.waitFor((r) => r.route === "job-take-batch");
    expect(batch.query).toMatch(/batch_size=2&job_in_progress=1$/);
    expect(fake.of("job-done")).toEqual([]);
    release();
    await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
  });
});

describe("taking ahead", () => {
  it("asks for the slots whose results are being delivered, and runs those jobs once delivery ends", async () => {
    // job-done answers wait for the test, as a platform across the internet makes them wait.
    let answerDone!: () => void;
    const doneHeld = new Promise<void>((r) => {
      answerDone = r;
    });
    fake.respond = async (req) => {
      if (req.route === "job-done" && (req.jobId === "a" || req.jobId === "b")) await doneHeld;
      return 200;
    };
    const started: string[] = [];
    const w = runWorker(fake, {
      concurrency: 2,
      handler: (job) => {
        started.push(job.id);
        return 1;
      },
    });
    fake.enqueue({ id: "a", input: null }, { id: "b", input: null });
    await fake.waitForCount((r) => r.route === "job-done", 2);
    // Both results are on their way: a later take already asks for both slots.
    const [first] = fake.of("job-take-batch");
    await fake.waitFor(
      (r) =>
        r.route === "job-take-batch" &&
        r.seq > (first?.seq ?? 0) &&
        r.query.includes("batch_size=2&"),
    );
    expect(fake.of("job-done").filter((r) => r.status === 200)).toEqual([]);
    fake.enqueue({ id: "c", input: null }, { id: "d", input: null });
    await fake.until(() => w.logs.filter((l) => l === "INFO   | Jobs in queue: 2").length === 2);
    // Taken, but not started while a and b still hold their slots.
    expect(started).toEqual(["a", "b"]);
    answerDone();
    await fake.waitForCount((r) => r.route === "job-done" && r.status === 200, 4);
    await w.stop();
    expect(started).toEqual(["a", "b", "c", "d"]);
  });

  it("asks for the slots of jobs that end in the same turn in one take, not one each", async () => {
    let answerDone!: () => void;
    const doneHeld = new Promise<void>((r) => {
      answerDone = r;
    });
    fake.respond = async (req) => {
      if (req.route === "job-done") await doneHeld;
      return 200;
    };
    const w = runWorker(fake, {
      concurrency: 2,
      // One returns at once, the other a few promise ticks later: both end in one turn.
      handler: async (job) => {
        if (job.id === "late") for (let i = 0; i < 20; i++) await Promise.resolve();
        return job.id;
      },
    });
    const first = await fake.waitFor((r) => r.route === "job-take-batch");
    fake.enqueue({ id: "soon", input: null }, { id: "late", input: null });
    await fake.waitForCount((r) => r.route === "job-done", 2);
    const next = await fake.waitFor(
      (r) => (r.route === "job-take" || r.route === "job-take-batch") && r.seq > first.seq,
    );
    expect(next.route).toBe("job-take-batch");
    expect(next.query).toContain("batch_size=2&");
    answerDone();
    await fake.waitForCount((r) => r.route === "job-done" && r.status === 200, 2);
    await w.stop();
  });
});
