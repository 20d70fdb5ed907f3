/** Streaming (§A.5) for every iterable kind, and ordered progress (§A.6). */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWorkerError } from "../../src/core/job-errors.js";
import { FakePlatform } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

let fake: FakePlatform;
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await fake.close();
});

const GPU = "gpu=NVIDIA+H100+80GB+HBM3";

function* syncGen(x: number) {
  for (let chunk = 0; chunk < 3; chunk++) yield { x, chunk };
}

describe("streaming", () => {
  it("streams sync and async generators and returned iterables, in order, then aggregates", async () => {
    const kinds: Record<string, () => unknown> = {
      sync: () => syncGen(1),
      async: async function* () {
        for (let chunk = 0; chunk < 3; chunk++) {
          await new Promise((r) => setTimeout(r, 1));
          yield { x: 1, chunk };
        }
      },
      // Python does not stream these; we do.
      returned: () => ({
        [Symbol.asyncIterator]: () => syncGen(1)[Symbol.iterator](),
      }),
      promised: async () => syncGen(1),
    };
    const w = runWorker(fake, {
      concurrency: 4,
      returnAggregateStream: true,
      handler: (job) => (kinds[job.id] as () => unknown)(),
    });
    fake.enqueue(...Object.keys(kinds).map((id) => ({ id, input: {} })));
    await fake.waitForCount((r) => r.route === "job-done", 4);
    await w.stop();
    for (const id of Object.keys(kinds)) {
      const chunks = fake.of("job-stream").filter((r) => r.jobId === id);
      expect(
        chunks.map((c) => c.body),
        id,
      ).toEqual([
        '{"output": {"x": 1, "chunk": 0}}',
        '{"output": {"x": 1, "chunk": 1}}',
        '{"output": {"x": 1, "chunk": 2}}',
      ]);
      expect(chunks[0]?.query).toBe(`${GPU}&isStream=false`);
      expect(chunks[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      const done = fake.of("job-done").find((r) => r.jobId === id)!;
      expect(done.query).toBe(`${GPU}&isStream=true`);
      expect(done.body).toBe(
        '{"output": [{"x": 1, "chunk": 0}, {"x": 1, "chunk": 1}, {"x": 1, "chunk": 2}]}',
      );
      expect(done.seq).toBeGreaterThan(chunks[2]!.seq);
    }
  });

  it("does not stream arrays; ends with an empty list without aggregation; stops at an error chunk or a throw", async () => {
    const kinds: Record<string, () => unknown> = {
      array: () => [1, 2],
      plain: () => syncGen(2),
      errorChunk: function* () {
        yield "a";
        yield { error: "bad chunk" };
        yield "never";
      },
      throws: function* () {
        yield "a";
        throw new TypeError("midway");
      },
      unserialisable: function* () {
        yield { n: 1n };
      },
      errorObject: function* () {
        yield { error: { why: "x" } };
      },
    };
    const w = runWorker(fake, {
      concurrency: 6,
      handler: (job) => (kinds[job.id] as () => unknown)(),
    });
    fake.enqueue(...Object.keys(kinds).map((id) => ({ id, input: {} })));
    await fake.waitForCount((r) => r.route === "job-done", 6);
    await w.stop();
    const done = (id: string) => fake.of("job-done").find((r) => r.jobId === id)!;
    const streamed = (id: string) =>
      fake
        .of("job-stream")
        .filter((r) => r.jobId === id)
        .map((r) => r.body);
    expect(done("array").body).toBe('{"output": [1, 2]}');
    expect(done("array").query).toMatch(/isStream=false$/);
    expect(done("plain").body).toBe('{"output": []}');
    expect(streamed("plain")).toHaveLength(3);
    expect(done("errorChunk").body).toBe('{"error": "bad chunk"}');
    expect(streamed("errorChunk")).toEqual(['{"output": "a"}']);
    expect(done("errorObject").body).toBe('{"error": "{\\"why\\": \\"x\\"}"}');
    const thrown = JSON.parse(done("throws").body) as { error: string };
    expect(thrown.error).toMatch(/^handler: midway \ntraceback: TypeError: midway\n/);
    expect(streamed("unserialisable")).toEqual([]);
    const bad = JSON.parse(done("unserialisable").body) as { error: string };
    expect(parseWorkerError(bad.error)?.errorMessage).toMatch(
      /chunk cannot be sent as JSON: output\.n is a BigInt/,
    );
  });
});

describe("streaming with a timeout", () => {
  it("keeps the chunks sent so far and ends with a FAILED isStream=true post", async () => {
    const w = runWorker(fake, {
      timeoutMs: 150,
      handler: async function* () {
        yield "first";
        await new Promise(() => {}); // hangs, ignoring the signal
      },
    });
    fake.enqueue({ id: "slow-stream", input: null });
    const done = await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
    expect(fake.of("job-stream").map((r) => r.body)).toEqual(['{"output": "first"}']);
    expect(done.query).toMatch(/isStream=true$/);
    const error = (JSON.parse(done.body) as { error: string }).error;
    expect(parseWorkerError(error)?.errorType).toBe("TimeoutError");
  });

  it("drops a chunk still in flight when the job times out: nothing of it can follow the result", async () => {
    // The platform holds the chunk's post unanswered; the job times out meanwhile.
    fake.respond = (req) => (req.route === "job-stream" ? new Promise<number>(() => {}) : 200);
    const w = runWorker(fake, {
      timeoutMs: 200,
      resultRetryWindowMs: 60_000,
      handler: async function* () {
        yield "held";
        await new Promise(() => {});
      },
    });
    fake.enqueue({ id: "held-stream", input: null });
    const chunk = await fake.waitFor((r) => r.route === "job-stream");
    // The worker hangs up on the chunk (no retry of it will come), and posts the result.
    await chunk.hungUp;
    const done = await fake.waitFor((r) => r.route === "job-done");
    expect(parseWorkerError(JSON.parse(done.body).error)?.errorType).toBe("TimeoutError");
    await w.stop();
    expect(fake.of("job-stream")).toHaveLength(1);
    expect(w.logs.filter((l) => l.includes("stream chunk"))).toEqual([]);
  });
});

describe("progress", () => {
  it("delivers updates in order, each after the previous one, all before the result", async () => {
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((r) => {
      releaseFirst = r;
    });
    fake.respond = async (req) => {
      if (req.body.includes('"step": 1')) await firstHeld;
      return 200;
    };
    const w = runWorker(fake, {
      handler: (_job, ctx) => {
        // Not awaited on purpose: ordering must not depend on the handler awaiting.
        void ctx.progress({ step: 1 });
        void ctx.progress({ step: 2 });
        void ctx.progress("ünïcode");
        return "done";
      },
    });
    fake.enqueue({ id: "p1", input: null });
    const first = await fake.waitFor((r) => r.route === "job-done");
    expect(first.body).toBe('{"status": "IN_PROGRESS", "output": {"step": 1}}');
    expect(first.query).toBe(`${GPU}&isStream=false`);
    // While the first update is unanswered nothing else was sent for the job.
    expect(fake.of("job-done")).toHaveLength(1);
    releaseFirst();
    await fake.waitForCount((r) => r.route === "job-done", 4);
    await w.stop();
    expect(fake.of("job-done").map((r) => r.body)).toEqual([
      '{"status": "IN_PROGRESS", "output": {"step": 1}}',
      '{"status": "IN_PROGRESS", "output": {"step": 2}}',
      '{"status": "IN_PROGRESS", "output": "ünïcode"}',
      '{"output": "done"}',
    ]);
  });

  it("ignores progress after the result and unserialisable progress without failing the job", async () => {
    let late: (() => Promise<void>) | undefined;
    const w = runWorker(fake, {
      handler: async (_job, ctx) => {
        await ctx.progress({ bad: 1n });
        late = () => ctx.progress("too late");
        return 1;
      },
    });
    fake.enqueue({ id: "p2", input: null });
    await fake.waitFor((r) => r.route === "job-done");
    await late?.();
    await w.stop();
    expect(fake.of("job-done").map((r) => r.body)).toEqual(['{"output": 1}']);
    expect(w.logs.some((l) => l.includes("Progress update not sent: output.bad is a BigInt"))).toBe(
      true,
    );
  });
});
