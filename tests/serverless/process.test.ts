/**
 * The worker as a process: the heartbeat thread under a blocked main thread, signals and exit
 * codes, shutdown grace, refreshWorker, fitness failure, and the platform log format.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWorkerError } from "../../src/core/job-errors.js";
import { FakePlatform, type RecordedRequest } from "../helpers/fake-platform.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

let fake: FakePlatform;
let gates: string;
let proc: WorkerProcess | undefined;
beforeEach(async () => {
  fake = await FakePlatform.start();
  gates = mkdtempSync(join(tmpdir(), "runpod-gates-"));
});
afterEach(async () => {
  proc?.kill();
  proc = undefined;
  await fake.close();
  rmSync(gates, { recursive: true, force: true });
});

const open = (id: string) => writeFileSync(join(gates, id), "");

/**
 * Runs `fixture` against a platform that holds job-take for two minutes, and `body` once its
 * job-take (or job-take-batch) and job-stop are held: only the worker can end the wait early.
 */
async function whileTakeHeld(
  fixture: string,
  env: Record<string, string>,
  body: (slow: FakePlatform, take: RecordedRequest, worker: WorkerProcess) => Promise<void>,
): Promise<void> {
  const slow = await FakePlatform.start({ holdMs: 120_000 });
  try {
    const worker = spawnWorker(fixture, slow.env({ GATE_DIR: gates, ...env }));
    proc = worker;
    const take = await slow.waitFor((r) => r.route.startsWith("job-take"));
    await slow.waitFor((r) => r.route === "job-stop");
    await body(slow, take, worker);
  } finally {
    await slow.close();
  }
}

describe("heartbeat thread", () => {
  it("keeps pinging with the job id while a sync handler blocks the main thread", async () => {
    proc = spawnWorker("blocking.ts", fake.env({ GATE_DIR: gates, RUNPOD_PING_INTERVAL: "100" }));
    await fake.waitFor((r) => r.route === "ping" && !r.query.includes("job_id"));
    fake.enqueue({ id: "block-1", input: null });
    await proc.waitForLine(/block-1 \| Started\./);
    // Three pings naming the job arrive while the main thread spins (it cannot send anything).
    const pings = await fake.waitForCount(
      (r) => r.route === "ping" && r.query.includes("job_id=block-1"),
      3,
    );
    expect(fake.of("job-done")).toEqual([]);
    open("block-1");
    const done = await fake.waitFor((r) => r.route === "job-done");
    expect(done.body).toBe('{"output": "unblocked"}');
    expect(pings[0]?.path).toBe("/v2/fake-ep/ping/fake-worker-1");
    expect(pings[0]?.query).toMatch(/^job_id=block-1&runpod_version=\d+\.\d+\.\d+/);
    expect(pings[0]?.headers.authorization).toBe("fake-api-key");
    // The heartbeat thread wrote the held "Started." while the main thread spun: once, in order.
    await proc.waitForLine(/block-1 \| Finished\./);
    const lines = proc.lines;
    expect(lines.filter((l) => /block-1 \| Started\./.test(l))).toHaveLength(1);
    expect(lines.findIndex((l) => /block-1 \| Started\./.test(l))).toBeLessThan(
      lines.findIndex((l) => /block-1 \| Finished\./.test(l)),
    );
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
  });

  it("without a heartbeat, writes the held lines before a blocking handler starts", async () => {
    // No API key: no heartbeat thread to write them, so the main thread writes them first.
    const env = fake.env({ GATE_DIR: gates });
    delete env.RUNPOD_AI_API_KEY;
    proc = spawnWorker("blocking.ts", env);
    fake.enqueue({ id: "block-2", input: null });
    await proc.waitForLine(/block-2 \| Started\./);
    expect(fake.of("ping")).toEqual([]);
    open("block-2");
    await proc.waitForLine(/block-2 \| Finished\./);
    expect(proc.lines.filter((l) => /block-2 \| Started\./.test(l))).toHaveLength(1);
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
  });
});

describe("shutdown", () => {
  it("on SIGTERM mid-job stops fetching, delivers the result and exits 0", async () => {
    proc = spawnWorker("gated.ts", fake.env({ GATE_DIR: gates }));
    fake.enqueue({ id: "term-1", input: null });
    await proc.waitForLine(/term-1 \| Started\./);
    proc.child.kill("SIGTERM");
    await proc.waitForLine(/SIGTERM received/);
    const takesAtSignal = fake.of("job-take").length;
    open("term-1");
    const { code } = await proc.exited;
    expect(code).toBe(0);
    expect(fake.of("job-done").map((r) => r.body)).toEqual(['{"output": {"done": "term-1"}}']);
    expect(fake.of("job-take").length).toBe(takesAtSignal);
  });

  it("starts the heartbeat and the stop channel while the first job-take is held", async () => {
    const slow = await FakePlatform.start({ holdMs: 120_000 });
    try {
      proc = spawnWorker("echo.ts", slow.env());
      await slow.waitFor((r) => r.route === "job-take");
      // They start once the take is on its way, not when it comes back (here: in 2 minutes).
      await Promise.all([
        slow.waitFor((r) => r.route === "job-stop"),
        slow.waitFor((r) => r.route === "ping"),
      ]);
      expect(slow.of("job-take")).toHaveLength(1);
      // The take went out first: the thread and the stop channel start after its bytes.
      expect(slow.requests[0]?.route).toBe("job-take");
    } finally {
      await slow.close();
    }
  });

  it("on SIGTERM waits for the held job-take, runs the jobs it brings and exits 0", async () => {
    open("last-1");
    open("last-2");
    // Concurrency 2: the take is a job-take-batch, answered with both jobs.
    await whileTakeHeld("gated.ts", { CONCURRENCY: "2" }, async (slow, _take, p) => {
      p.child.kill("SIGTERM");
      await p.waitForLine(/Waiting for the job-take in flight: the platform may still hand it/);
      // The platform hands the held take jobs just as the worker is told to stop.
      slow.enqueue({ id: "last-1", input: 1 }, { id: "last-2", input: 2 });
      expect((await p.exited).code).toBe(0);
      expect(slow.of("job-done").map((r) => [r.jobId, r.body])).toEqual(
        expect.arrayContaining([
          ["last-1", '{"output": {"done": "last-1"}}'],
          ["last-2", '{"output": {"done": "last-2"}}'],
        ]),
      );
      expect(slow.of("job-done")).toHaveLength(2);
      expect(slow.of("job-take-batch")).toHaveLength(1);
      expect(p.lines.filter((l) => l.includes("Waiting for the job-take"))).toHaveLength(1);
    });
  });

  it("keeps the stop channel open for a job the last job-take brought", async () => {
    await whileTakeHeld("gated.ts", {}, async (slow, _take, p) => {
      p.child.kill("SIGTERM");
      await p.waitForLine(/Waiting for the job-take in flight/);
      slow.enqueue({ id: "drained", input: null });
      await p.waitForLine(/drained \| Started\./);
      // The stop channel runs until the last job is done: the platform can still cancel it.
      slow.stop("drained");
      await p.waitForLine(/drained \| Job stopped\./);
      expect((await p.exited).code).toBe(0);
      expect(slow.of("job-done")).toEqual([]);
      expect(slow.of("job-take")).toHaveLength(1);
    });
  });

  it("with shutdownGraceMs abandons a job-take still held at the deadline", async () => {
    await whileTakeHeld("gated.ts", { SHUTDOWN_GRACE_MS: "100" }, async (slow, take, p) => {
      p.child.kill("SIGTERM");
      await take.hungUp;
      expect((await p.exited).code).toBe(0);
      expect(take.status).toBeUndefined();
      expect(slow.of("job-take")).toHaveLength(1);
    });
  });

  it("exits at once on a second SIGINT while it waits for the job-take", async () => {
    await whileTakeHeld("echo.ts", {}, async (_slow, _take, p) => {
      p.child.kill("SIGINT");
      await p.waitForLine(/Waiting for the job-take in flight/);
      p.child.kill("SIGINT");
      expect((await p.exited).code).toBe(130);
    });
  });

  it("with shutdownGraceMs reports jobs still running at the deadline as FAILED", async () => {
    proc = spawnWorker(
      "gated.ts",
      fake.env({ GATE_DIR: gates, SHUTDOWN_GRACE_MS: "100", CONCURRENCY: "2" }),
    );
    fake.enqueue({ id: "late-1", input: null }, { id: "late-2", input: null });
    await proc.waitForLine(/late-2 \| Started\./);
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
    const bodies = fake.of("job-done").map((r) => JSON.parse(r.body) as { error: string });
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(parseWorkerError(body.error)?.errorType).toBe("ShutdownError");
      expect(parseWorkerError(body.error)?.errorMessage).toMatch(
        /shut down before job late-\d finished \(shutdownGraceMs 100 ms\)/,
      );
    }
  });

  it("exits at once on a second SIGINT", async () => {
    proc = spawnWorker("gated.ts", fake.env({ GATE_DIR: gates }));
    fake.enqueue({ id: "int-1", input: null });
    await proc.waitForLine(/int-1 \| Started\./);
    proc.child.kill("SIGINT");
    await proc.waitForLine(/SIGINT received/);
    proc.child.kill("SIGINT");
    expect((await proc.exited).code).toBe(130);
    expect(fake.of("job-done")).toEqual([]);
  });

  it("refreshWorker: sends stopPod and exits after one job", async () => {
    proc = spawnWorker("gated.ts", fake.env({ GATE_DIR: gates, REFRESH_WORKER: "1" }));
    open("only");
    fake.enqueue({ id: "only", input: null }, { id: "not-taken", input: null });
    expect((await proc.exited).code).toBe(0);
    expect(fake.of("job-done").map((r) => r.body)).toEqual([
      '{"output": {"done": "only"}, "stopPod": true}',
    ]);
  });
});

describe("stray errors", () => {
  it("logs uncaught exceptions and unhandled rejections from handler code and keeps working", async () => {
    proc = spawnWorker("echo.ts", fake.env());
    fake.enqueue({ id: "stray", input: { stray: true } });
    await proc.waitForLine(
      /Uncaught exception \(the worker keeps running\): Error: stray timer error/,
    );
    await proc.waitForLine(
      /Unhandled promise rejection \(the worker keeps running\): Error: stray rejection/,
    );
    fake.enqueue({ id: "after", input: 2 });
    const after = await fake.waitFor((r) => r.route === "job-done" && r.jobId === "after");
    expect(after.body).toBe('{"output": {"echo": 2}}');
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
  });
});

describe("fitness checks", () => {
  it("report unhealthy and exit 1 before taking any job", async () => {
    proc = spawnWorker("fitness-fail.ts", fake.env());
    expect((await proc.exited).code).toBe(1);
    const ping = fake.of("ping")[0];
    expect(ping?.query).toMatch(
      /^status=unhealthy&check=gpuMemory&reason=RangeError%3A%20not%20enough%20GPU%20memory&runpod_version=/,
    );
    expect(fake.of("job-take")).toEqual([]);
    expect(proc.lines).toContain(
      "ERROR  | Fitness check failed: gpuMemory | RangeError: not enough GPU memory",
    );
    expect(proc.lines).toContain("ERROR  | Worker is unhealthy, exiting.");
  });
});

describe("logging on the platform", () => {
  it("writes JSON lines with requestId, never the API key", async () => {
    const key = "rp_SECRET_KEY_123";
    proc = spawnWorker(
      "echo.ts",
      fake.env({ RUNPOD_ENDPOINT_ID: "fake-ep", RUNPOD_AI_API_KEY: key }),
    );
    fake.enqueue({ id: "log-1", input: "ünï" }, { id: "log-2", input: { fail: "boom" } });
    await fake.waitForCount((r) => r.route === "job-done", 2);
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
    expect(proc.lines[0]).toMatch(
      /^--- Starting Serverless Worker \| {2}Version \d+\.\d+\.\d+ ---$/,
    );
    expect(proc.lines).toContain('{"requestId": "log-1", "message": "Started.", "level": "INFO"}');
    expect(proc.lines).toContain(
      '{"requestId": null, "message": "SIGTERM received. Shutting down.", "level": "INFO"}',
    );
    const captured = proc.lines.find((l) => l.includes("Captured Handler Exception"));
    expect(JSON.parse(captured ?? "{}")).toEqual({
      requestId: "log-2",
      message: "Captured Handler Exception: boom",
      level: "ERROR",
    });
    expect(proc.lines.join("\n")).not.toContain(key);
    expect(fake.of("job-take")[0]?.headers.authorization).toBe(key);
  });
});
