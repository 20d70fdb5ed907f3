/** Bad arguments are a ValidationError naming what was wrong, and nothing is sent. */
import { describe, expect, it } from "vitest";
import { Endpoint, ValidationError } from "../../src/endpoint/index.js";
import { KEY, useServer } from "./setup.js";

const ctx = useServer();

async function issue(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error("expected a ValidationError");
}

describe("input validation", () => {
  it("rejects bad endpoint ids and options at construction", async () => {
    expect(await issue(() => new Endpoint(""))).toMatch(/endpoint id/);
    expect(await issue(() => new Endpoint("a/b"))).toMatch(/must not contain/);
    const bad = [
      [{ timeoutMs: 0 }, /timeoutMs: must be >= 1/],
      [{ maxRetries: -1 }, /maxRetries: must be >= 0/],
      [{ timeoutMs: 2 ** 31 }, /timeoutMs: must be <= 2147483647/],
      [{ maxRetries: 1.5 }, /maxRetries: expected an integer/],
      [{ apiKey: "" }, /apiKey: length must be >= 1/],
      [{ fetch: "nope" }, /fetch: must be a function/],
      [{ longPollMs: 500 }, /longPollMs: must be >= 1000/],
      [{ baseUrl: "not a url" }, /baseUrl: must be a valid url/],
      [{ retries: 3 }, /unknown option "retries"/],
    ] as const;
    for (const [options, pattern] of bad) {
      expect(await issue(() => new Endpoint("ep", options as never))).toMatch(pattern);
    }
  });

  it("names RUNPOD_ENDPOINT_BASE_URL when the base URL from the environment is bad", async () => {
    const saved = process.env.RUNPOD_ENDPOINT_BASE_URL;
    process.env.RUNPOD_ENDPOINT_BASE_URL = "not a url";
    try {
      expect(await issue(() => new Endpoint("ep", { apiKey: KEY }))).toMatch(
        /Invalid RUNPOD_ENDPOINT_BASE_URL: must be a valid url/,
      );
    } finally {
      if (saved === undefined) delete process.env.RUNPOD_ENDPOINT_BASE_URL;
      else process.env.RUNPOD_ENDPOINT_BASE_URL = saved;
    }
  });

  it("rejects a bad job id in Endpoint.job", async () => {
    expect(await issue(() => Endpoint.job("ep", "", { apiKey: KEY }))).toMatch(/job id/);
  });

  it("rejects bad run options and inputs before sending anything", async () => {
    const ep = new Endpoint("ep-1", { apiKey: KEY, baseUrl: ctx.server.baseUrl });
    expect(await issue(() => ep.run(undefined))).toMatch(/input: is required/);
    expect(await issue(() => ep.run(1, { webhook: "ftp://x" }))).toMatch(/webhook/);
    expect(await issue(() => ep.run(1, { policy: { ttl: 5 } }))).toMatch(
      /policy\.ttl: must be >= 10000/,
    );
    expect(await issue(() => ep.run(1, { webhok: "https://x" } as never))).toMatch(
      /unknown option "webhok"/,
    );
    expect(await issue(() => ep.run(1, { signal: "x" } as never))).toMatch(/AbortSignal/);
    expect(await issue(() => ep.run(10n))).toMatch(/input: is not JSON-serialisable/);
    const s3Config = { accessId: "a", accessSecret: "s", bucketName: "b" };
    expect(await issue(() => ep.run(1, { s3Config } as never))).toMatch(
      /s3Config\.endpointUrl: is required/,
    );
    expect(await issue(() => ep.run(1, { policy: { lowPriority: "yes" } } as never))).toMatch(
      /policy\.lowPriority: expected boolean/,
    );
    expect(await issue(() => ep.runSync(1, { timeoutMs: -5 }))).toMatch(/timeoutMs/);
    const job = Endpoint.job("ep-1", "j", { apiKey: KEY, baseUrl: ctx.server.baseUrl });
    expect(await issue(() => job.output({ timeoutMs: 0 }))).toMatch(/timeoutMs/);
    expect(await issue(() => job.output({ cancelOnTimeout: 1 } as never))).toMatch(
      /cancelOnTimeout/,
    );
    expect(await issue(() => job.stream({ signal: {} } as never))).toMatch(/AbortSignal/);
    expect(ctx.server.requests).toHaveLength(0);
  });
});
