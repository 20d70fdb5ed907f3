import { describe, expect, it } from "vitest";
import {
  APIError,
  AuthenticationError,
  errorForStatus,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  parseRetryAfter,
  RateLimitError,
} from "../../src/core/api-errors.js";
import { RunpodError, ValidationError } from "../../src/core/errors.js";
import { JobFailedError, parseWorkerError, WaitTimeoutError } from "../../src/core/job-errors.js";

describe("error hierarchy", () => {
  it("keeps instanceof along the chain and rejects siblings", () => {
    const e = new NotFoundError("gone", { status: 404 });
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e).toBeInstanceOf(APIError);
    expect(e).toBeInstanceOf(RunpodError);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(RateLimitError);
    expect(e.name).toBe("NotFoundError");
    expect(e.status).toBe(404);
  });

  it("recognises an instance made by another copy of the classes (same Symbol.for brand)", () => {
    // A structurally separate class tree stands in for the CJS copy of the package.
    const brand = Symbol.for("runpod-ts.error.kinds");
    const foreign = Object.assign(new Error("x"), {
      [brand]: ["NotFoundError", "APIError", "RunpodError"],
    });
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toBeInstanceOf(RunpodError);
    expect(foreign).not.toBeInstanceOf(ValidationError);
    expect({}).not.toBeInstanceOf(RunpodError);
    expect(null).not.toBeInstanceOf(RunpodError);
  });

  it("maps statuses to classes in one place", () => {
    const make = (status: number) => errorForStatus("m", { status });
    expect(make(401)).toBeInstanceOf(AuthenticationError);
    expect(make(403)).toBeInstanceOf(PermissionDeniedError);
    expect(make(404)).toBeInstanceOf(NotFoundError);
    expect(make(413)).toBeInstanceOf(PayloadTooLargeError);
    expect(make(429)).toBeInstanceOf(RateLimitError);
    expect(make(502)).toBeInstanceOf(InternalServerError);
    expect(make(418).constructor).toBe(APIError);
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(
      10_000,
    );
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    const e = errorForStatus("slow down", { status: 429, headers: { "retry-after": "3" } });
    expect((e as RateLimitError).retryAfterMs).toBe(3000);
  });

  it("formats validation issues with their paths", () => {
    const e = new ValidationError("options", [
      { path: ["policy", "ttl"], message: "too small" },
      { path: [], message: "bad" },
    ]);
    expect(e.message).toBe("Invalid options: policy.ttl: too small; bad");
    expect(e.issues).toHaveLength(2);
  });

  it("parses the worker's JSON error string", () => {
    const wire = JSON.stringify({
      error_type: "Error",
      error_message: "boom",
      error_traceback: "Error: boom\n    at x",
      hostname: "h",
      worker_id: "w",
      runpod_version: "0.1.0",
    });
    const e = new JobFailedError("job-1", wire);
    expect(e.details?.errorMessage).toBe("boom");
    expect(e.details?.workerId).toBe("w");
    expect(e.message).toBe("Job job-1 failed: boom");
    expect(parseWorkerError("plain text")).toBeUndefined();
    expect(new JobFailedError("j", "plain").message).toBe("Job j failed: plain");
    expect(new WaitTimeoutError("j", 5).timeoutMs).toBe(5);
  });
});
