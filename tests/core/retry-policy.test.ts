import { describe, expect, it } from "vitest";
import { APIError, RateLimitError } from "../../src/core/api-errors.js";
import { MAX_RETRY_AFTER_MS, retryAfterOf, retryDelay } from "../../src/core/retry-policy.js";

const backoff = { baseMs: 100, capMs: 1_000 };

describe("retry policy", () => {
  it("spreads each delay over [0, min(cap, base · 2^attempt)] (full jitter)", () => {
    expect(retryDelay(0, backoff, undefined, () => 0)).toBe(0);
    expect(retryDelay(0, backoff, undefined, () => 1)).toBe(100);
    expect(retryDelay(2, backoff, undefined, () => 0.5)).toBe(200);
    expect(retryDelay(3, backoff, undefined, () => 1)).toBe(800);
    expect(retryDelay(4, backoff, undefined, () => 1)).toBe(1_000);
    expect(retryDelay(40, backoff, undefined, () => 1)).toBe(1_000);
  });

  it("never waits less than Retry-After, and at most 60 s for it", () => {
    expect(retryDelay(0, backoff, 5_000, () => 1)).toBe(5_000);
    expect(retryDelay(3, backoff, 300, () => 1)).toBe(800);
    expect(retryDelay(0, backoff, 10 * 60_000, () => 0)).toBe(MAX_RETRY_AFTER_MS);
  });

  it("reads Retry-After from any API error, in seconds or as a date", () => {
    const headers = { "retry-after": "2" };
    expect(retryAfterOf(new RateLimitError("slow down", { status: 429, headers }))).toBe(2_000);
    expect(retryAfterOf(new APIError("busy", { status: 503, headers }))).toBe(2_000);
    expect(retryAfterOf(new APIError("busy", { status: 503 }))).toBeUndefined();
    expect(retryAfterOf(new Error("x"))).toBeUndefined();
  });
});
