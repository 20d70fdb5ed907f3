import { describe, expect, it } from "vitest";
import { GraphQLRequestError } from "../../src/api/graphql/errors.js";
import { CliError } from "../../src/cli/errors.js";
import { describeError, errorDetails } from "../../src/cli/output/describe-error.js";
import {
  APIError,
  AuthenticationError,
  ConnectionError,
  JobFailedError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  ValidationError,
} from "../../src/core/index.js";

describe("describeError", () => {
  it("maps each error class to a message and, where one helps, what to do", () => {
    expect(describeError(new CliError("Bad thing", "do this"))).toEqual({
      message: "Bad thing",
      hint: "do this",
    });
    expect(describeError(new AuthenticationError("401", { status: 401 })).message).toBe(
      "Runpod rejected the API key (401 Unauthorized)",
    );
    expect(describeError(new PermissionDeniedError("no scope", { status: 403 })).message).toBe(
      "Permission denied (403): no scope",
    );
    expect(describeError(new NotFoundError("pod abc", { status: 404 }))).toEqual({
      message: "Not found (404): pod abc",
      hint: "check the id",
    });
    expect(
      describeError(new RateLimitError("slow", { status: 429, headers: { "retry-after": "3" } })),
    ).toEqual({ message: "Rate limited by Runpod (429)", hint: "try again in 3 s" });
    expect(describeError(new ConnectionError("ECONNREFUSED")).message).toBe(
      "Could not connect: ECONNREFUSED",
    );
    expect(describeError(new RequestTimeoutError("after 30 s")).hint).toContain("try again");
    expect(describeError(new APIError("teapot", { status: 418, requestId: "req-1" })).message).toBe(
      "Request failed (HTTP 418): teapot; request id req-1",
    );
    expect(
      describeError(new ValidationError("input", [{ path: ["gpuCount"], message: "too small" }])),
    ).toEqual({ message: "Invalid input: gpuCount: too small" });
    expect(describeError(new JobFailedError("job-1", "boom")).message).toBe(
      "Job job-1 failed: boom",
    );
  });

  it("GraphQL errors give the server's words, and a scope hint for Unauthorized", () => {
    const failed = (message: string) =>
      new GraphQLRequestError({ status: 200, operationName: "PodStop", errors: [{ message }] });
    expect(describeError(failed("pod x not found"))).toEqual({
      message: "Runpod refused PodStop: pod x not found",
    });
    const refused = describeError(failed("Unauthorized"));
    expect(refused.message).toBe("Runpod refused PodStop: Unauthorized");
    expect(refused.hint).toContain("read/write");
  });

  it("file-system errors keep their message and get a hint; unknown errors point to --verbose", () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/x'"), {
      code: "EACCES",
    });
    expect(describeError(eacces).hint).toBe("check the file's permissions");
    expect(describeError(new TypeError("x is undefined"))).toEqual({
      message: "Unexpected error: x is undefined",
      hint: "run again with --verbose for details",
    });
    expect(describeError("a string").message).toBe("Unexpected error: a string");
  });

  it("details show the stack and the chain of causes", () => {
    const text = errorDetails(new CliError("outer", undefined, { cause: new Error("inner") }));
    expect(text).toMatch(/^CliError: outer\n\s+at /);
    expect(text).toContain("Caused by:\nError: inner");
  });
});
