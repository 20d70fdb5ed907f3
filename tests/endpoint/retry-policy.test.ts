/**
 * Which errors the endpoint client retries. How long it waits is the package's one policy
 * (tests/core/retry-policy.test.ts); errors.test.ts shows it waits at least `Retry-After`.
 */
import { describe, expect, it } from "vitest";
import {
  ConnectionError,
  InternalServerError,
  RequestTimeoutError,
} from "../../src/core/api-errors.js";
import { isConnectionRefused, isRetryable } from "../../src/endpoint/retry-policy.js";

const refused = () => {
  const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
    code: "ECONNREFUSED",
  });
  return new ConnectionError("POST /ep/run failed", new TypeError("fetch failed", { cause }));
};

describe("retry policy", () => {
  it("finds ECONNREFUSED along the cause chain and inside an AggregateError", () => {
    expect(isConnectionRefused(refused().cause)).toBe(true);
    const reset = Object.assign(new Error("x"), { code: "ECONNRESET" });
    const refusedOne = Object.assign(new Error("y"), { code: "ECONNREFUSED" });
    expect(isConnectionRefused(new AggregateError([reset, refusedOne]))).toBe(true);
    expect(isConnectionRefused(new TypeError("fetch failed", { cause: reset }))).toBe(false);
    expect(isConnectionRefused(new TypeError("Failed to fetch"))).toBe(false);
  });

  it("retries reads on network errors, timeouts, 408, 429, 5xx only", () => {
    const e = (status: number) => new InternalServerError("x", { status });
    expect(isRetryable(new ConnectionError("reset"), true)).toBe(true);
    expect(isRetryable(new RequestTimeoutError("t"), true)).toBe(true);
    for (const status of [408, 429, 500, 503]) expect(isRetryable(e(status), true)).toBe(true);
    for (const status of [400, 401, 404, 413]) expect(isRetryable(e(status), true)).toBe(false);
    expect(isRetryable(new Error("bug"), true)).toBe(false);
  });

  it("retries state changes only when the connection was refused", () => {
    expect(isRetryable(refused(), false)).toBe(true);
    expect(isRetryable(new ConnectionError("reset"), false)).toBe(false);
    expect(isRetryable(new RequestTimeoutError("t"), false)).toBe(false);
    expect(isRetryable(new InternalServerError("x", { status: 503 }), false)).toBe(false);
  });
});
