/** The worker's change signal: no waiter outlives its wait (a full worker with a concurrency function rechecks every second). */
import { describe, expect, it } from "vitest";
import { Wakeup } from "../../src/serverless/wakeup.js";

describe("Wakeup", () => {
  it("forgets waits that ended by timeout or abort; notify wakes the pending ones", async () => {
    const wakeup = new Wakeup();
    for (let i = 0; i < 5; i++) await wakeup.wait(1);
    expect(wakeup.pending).toBe(0);

    const controller = new AbortController();
    const aborted = wakeup.wait(undefined, controller.signal);
    expect(wakeup.pending).toBe(1);
    controller.abort();
    await aborted;
    expect(wakeup.pending).toBe(0);

    const woken = [wakeup.wait(60_000), wakeup.wait()];
    expect(wakeup.pending).toBe(2);
    wakeup.notify();
    await Promise.all(woken);
    expect(wakeup.pending).toBe(0);
  });
});
