/**
 * The worker's three retry loops (job-take, job-stop, result delivery) follow the package's one
 * retry policy: a platform's `Retry-After` is the least they wait, on any status that carries one.
 * Each is shown twice: the delay the worker logs, and the gap the fake platform saw.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakePlatform, type RecordedRequest } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

let fake: FakePlatform;
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await fake.close();
});

/** Timers may fire up to a millisecond early after rounding. */
const AT_LEAST_1_S = 999;

function delayIn(line: string | undefined): number {
  return Number(/retrying in (\d+) ms/.exec(line ?? "")?.[1]);
}

function gap(first: RecordedRequest | undefined, second: RecordedRequest | undefined): number {
  return (second?.at ?? 0) - (first?.at ?? Number.POSITIVE_INFINITY);
}

describe("Retry-After is the least the worker waits", () => {
  it("job-take: a 503 with Retry-After: 1", async () => {
    const script = [{ status: 503, body: "busy", retryAfter: "1" }];
    fake.takeOverride = () => script.shift();
    const w = runWorker(fake, { handler: () => "ok" });
    const [first, second] = await fake.waitForCount((r) => r.route === "job-take", 2);
    await w.stop();
    const line = w.logs.find((l) => l.includes("Error Type: HTTP 503"));
    // The policy's own delay for a first failure is at most 200 ms: Retry-After wins.
    expect(delayIn(line)).toBe(1_000);
    expect(gap(first, second)).toBeGreaterThanOrEqual(AT_LEAST_1_S);
  });

  it("job-stop: a 429 with Retry-After: 1 waits 1 s, not the 5 s of a bare 429", async () => {
    const script = [{ status: 429, retryAfter: "1" }];
    fake.stopOverride = () => script.shift();
    const w = runWorker(fake, { handler: () => "ok" });
    const [first, second] = await fake.waitForCount((r) => r.route === "job-stop", 2);
    await w.stop();
    const line = w.logs.find((l) => l.includes("job-stop answered 429"));
    expect(delayIn(line)).toBe(1_000);
    expect(gap(first, second)).toBeGreaterThanOrEqual(AT_LEAST_1_S);
  });

  it("job-stop: a 503 with Retry-After: 2", async () => {
    const script = [{ status: 503, retryAfter: "2" }];
    fake.stopOverride = () => script.shift();
    const w = runWorker(fake, { handler: () => "ok" });
    const [first, second] = await fake.waitForCount((r) => r.route === "job-stop", 2);
    await w.stop();
    const line = w.logs.find((l) => l.includes("job-stop answered 503"));
    // The policy's ceiling for a first failure is 1 s: only Retry-After makes it 2.
    expect(delayIn(line)).toBe(2_000);
    expect(gap(first, second)).toBeGreaterThanOrEqual(2 * AT_LEAST_1_S);
  });

  it("result delivery: a 503 with Retry-After: 1 on job-done", async () => {
    fake.respond = (_req, attempt) => (attempt === 0 ? { status: 503, retryAfter: "1" } : 200);
    const w = runWorker(fake, { handler: () => "ok" });
    fake.enqueue({ id: "job-1", input: {} });
    const [first, second] = await fake.waitForCount((r) => r.route === "job-done", 2);
    await w.logged("INFO   | job-1 | Finished.");
    await w.stop();
    expect(second?.status).toBe(200);
    const line = w.logs.find((l) => l.includes("Failed to send the result of job job-1"));
    expect(delayIn(line)).toBe(1_000);
    expect(gap(first, second)).toBeGreaterThanOrEqual(AT_LEAST_1_S);
  });
});
