/** Handler kinds, ctx, input validation and bad handler behaviour: every job ends with a result. */

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { parseWorkerError } from "../../src/core/job-errors.js";
import { currentJob } from "../../src/serverless/context.js";
import { FakePlatform } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

let fake: FakePlatform;
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await fake.close();
});

async function resultsFor(
  handler: Parameters<typeof runWorker>[1]["handler"],
  inputs: Record<string, unknown>,
  extra: Partial<Parameters<typeof runWorker>[1]> = {},
) {
  const w = runWorker(fake, { ...extra, handler, concurrency: 4 });
  fake.enqueue(...Object.entries(inputs).map(([id, input]) => ({ id, input })));
  const ids = Object.keys(inputs);
  await fake.waitForCount(
    (r) => r.route === "job-done" && !r.body.includes('"IN_PROGRESS"'),
    ids.length,
  );
  expect(await w.stop()).toBe(0);
  const out: Record<string, { output?: unknown; error?: string }> = {};
  for (const r of fake.of("job-done"))
    if (r.jobId && !r.body.includes('"IN_PROGRESS"')) out[r.jobId] = JSON.parse(r.body);
  return { out, logs: w.logs };
}

describe("handler kinds", () => {
  it("runs sync, async and returned-promise handlers; passes the job untouched", async () => {
    const seen: unknown[] = [];
    const { out } = await resultsFor(
      (job) => {
        seen.push(job);
        if (job.input === "sync") return 1;
        if (job.input === "async") return (async () => 2)();
        return Promise.resolve({ got: (job as Record<string, unknown>).extra });
      },
      { a: "sync", b: "async" },
    );
    expect(out.a).toEqual({ output: 1 });
    expect(out.b).toEqual({ output: 2 });
    // The same fake: the first worker waited for its last job-take before it exited, so a job
    // queued now can only go to the second one.
    const w = runWorker(fake, { handler: (job) => ({ keys: Object.keys(job) }) });
    fake.enqueue({ id: "c", input: 1, extra: "kept", webhook: "http://x" });
    const done = await fake.waitFor((r) => r.route === "job-done" && r.jobId === "c");
    await w.stop();
    expect(JSON.parse(done.body)).toEqual({
      output: { keys: ["id", "input", "extra", "webhook"] },
    });
    expect(seen).toHaveLength(2);
  });

  it("gives ctx and the same context through currentJob() deep in async code", async () => {
    const deep = async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentJob()?.id;
    };
    const { out } = await resultsFor(
      async (job, ctx) => ({
        id: ctx.id,
        input: ctx.input,
        aborted: ctx.signal.aborted,
        deep: await deep(),
        same: currentJob() === ctx,
        jobIsRaw: ctx.job === job,
      }),
      { j1: { v: 1 }, j2: { v: 2 } },
    );
    expect(out.j1).toEqual({
      output: { id: "j1", input: { v: 1 }, aborted: false, deep: "j1", same: true, jobIsRaw: true },
    });
    expect(out.j2?.output).toMatchObject({ deep: "j2" });
    expect(currentJob()).toBeUndefined();
  });
});

describe("input validation", () => {
  it("fails invalid input with the schema's messages without calling the handler", async () => {
    let calls = 0;
    const { out } = await resultsFor(
      (_job, ctx) => {
        calls++;
        return ctx.input;
      },
      { ok: { n: "5" }, bad: { n: "x" } },
      { inputSchema: z.object({ n: z.coerce.number().int() }) },
    );
    expect(out.ok).toEqual({ output: { n: 5 } });
    const details = parseWorkerError(out.bad?.error);
    expect(details?.errorType).toBe("ValidationError");
    expect(details?.errorMessage).toMatch(/^Invalid job input: n: /);
    expect(calls).toBe(1);
  });
});

describe("bad handler behaviour never kills the worker", () => {
  it("turns each kind of misbehaviour into a FAILED result that says what was wrong", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    const behaviours: Record<string, () => unknown> = {
      string: () => {
        throw "plain string";
      },
      undef: () => {
        throw undefined;
      },
      reject: () => Promise.reject({ code: 7 }),
      bigint: () => ({ n: 1n }),
      cycle: () => cyclic,
      fn: () => ({ f: () => 1 }),
      hole: () => [1, undefined],
      map: () => new Map([["a", 1]]),
      errorObject: () => ({ error: { code: 7, why: "é" } }),
    };
    const { out } = await resultsFor(
      (job) => (behaviours[job.input as string] as () => unknown)(),
      Object.fromEntries(Object.keys(behaviours).map((k) => [k, k])),
    );
    const message = (id: string) => parseWorkerError(out[id]?.error)?.errorMessage;
    expect(message("string")).toBe('the handler threw a non-Error value (string): "plain string"');
    expect(message("undef")).toBe("the handler threw a non-Error value (undefined): undefined");
    expect(message("reject")).toBe('the handler threw a non-Error value (object): {"code":7}');
    expect(message("bigint")).toMatch(/cannot be sent as JSON: output\.n is a BigInt/);
    expect(message("cycle")).toMatch(/output\.me(\.me)? refers back to itself \(a cycle\)/);
    expect(message("fn")).toMatch(/output\.f is a function/);
    expect(message("hole")).toMatch(/output\[1\] is undefined/);
    expect(message("map")).toMatch(/output is a Map/);
    // A non-string `error` is sent as text (Python-form JSON): the platform needs a string (#299).
    expect(out.errorObject).toEqual({ error: '{"code": 7, "why": "é"}' });
    for (const id of Object.keys(behaviours)) expect(out[id]?.error, id).toBeTypeOf("string");
  });
});
