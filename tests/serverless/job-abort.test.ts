/** The worker's lightweight abort state and the standard AbortSignal made from it on demand. */
import { describe, expect, it } from "vitest";
import { JobAbort } from "../../src/serverless/job-abort.js";

describe("JobAbort", () => {
  it("calls each listener once, not after removal, and keeps the first reason", () => {
    const abort = new JobAbort();
    const calls: string[] = [];
    const removed = () => calls.push("removed");
    abort.addEventListener("abort", () => calls.push("a"));
    abort.addEventListener("abort", removed);
    abort.removeEventListener("abort", removed);
    abort.abort("first");
    abort.abort("second");
    expect(calls).toEqual(["a"]);
    expect(abort.aborted).toBe(true);
    expect(abort.reason).toBe("first");
    abort.addEventListener("abort", () => calls.push("late"));
    expect(calls).toEqual(["a"]);
  });

  it("gives a standard AbortSignal that follows it, made before or after the abort", () => {
    const before = new JobAbort();
    const signal = before.signal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(before.signal).toBe(signal);
    let seen: unknown;
    signal.addEventListener("abort", () => {
      seen = signal.reason;
    });
    const reason = new Error("stopped");
    before.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(seen).toBe(reason);

    const after = new JobAbort();
    after.abort(reason);
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe(reason);
  });
});
