/**
 * The run-request rules are stated twice: in zod (protocol/run-request.ts, used by the local
 * platform) and by hand (endpoint/options.ts, which keeps zod out of the browser bundle). The same
 * fixtures go through both: they must accept and refuse alike.
 */

import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { validated } from "../../src/core/checks.js";
import { ValidationError } from "../../src/core/errors.js";
import { runCallOptionsRule } from "../../src/endpoint/options.js";
import {
  EXECUTION_TIMEOUT_MAX_MS,
  EXECUTION_TIMEOUT_MIN_MS,
  TTL_MAX_MS,
  TTL_MIN_MS,
} from "../../src/protocol/limits.js";
import { runOptionsSchema } from "../../src/protocol/run-request.js";

const s3 = { accessId: "a", accessSecret: "s", bucketName: "b", endpointUrl: "https://s3.x" };

/** Every field at its edges and just past them. */
const fixtures: Record<string, unknown> = {
  empty: {},
  "https webhook": { webhook: "https://example.com/hook" },
  "http webhook": { webhook: "http://127.0.0.1:9/hook" },
  "ftp webhook": { webhook: "ftp://example.com/hook" },
  "webhook not a URL": { webhook: "not a url" },
  "webhook not a string": { webhook: 42 },
  "policy empty": { policy: {} },
  "executionTimeout min": { policy: { executionTimeout: EXECUTION_TIMEOUT_MIN_MS } },
  "executionTimeout max": { policy: { executionTimeout: EXECUTION_TIMEOUT_MAX_MS } },
  "executionTimeout below": { policy: { executionTimeout: EXECUTION_TIMEOUT_MIN_MS - 1 } },
  "executionTimeout above": { policy: { executionTimeout: EXECUTION_TIMEOUT_MAX_MS + 1 } },
  "executionTimeout fractional": { policy: { executionTimeout: EXECUTION_TIMEOUT_MIN_MS + 0.5 } },
  "executionTimeout string": { policy: { executionTimeout: "10000" } },
  "ttl min": { policy: { ttl: TTL_MIN_MS } },
  "ttl max": { policy: { ttl: TTL_MAX_MS } },
  "ttl below": { policy: { ttl: TTL_MIN_MS - 1 } },
  "ttl above": { policy: { ttl: TTL_MAX_MS + 1 } },
  "lowPriority true": { policy: { lowPriority: true } },
  "lowPriority string": { policy: { lowPriority: "yes" } },
  "policy unknown field": { policy: { ttl: TTL_MIN_MS, priority: 1 } },
  "policy not an object": { policy: "fast" },
  "s3Config complete": { s3Config: s3 },
  "s3Config with objectPath": { s3Config: { ...s3, objectPath: "out/" } },
  "s3Config extra field": { s3Config: { ...s3, region: "eu" } },
  "s3Config missing bucket": { s3Config: { ...s3, bucketName: undefined } },
  "s3Config objectPath number": { s3Config: { ...s3, objectPath: 1 } },
  "s3Config not an object": { s3Config: [] },
};

function handWritten(value: unknown): boolean {
  try {
    validated(runCallOptionsRule, value, "run options");
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

describe("run options: endpoint/options.ts and protocol/run-request.ts agree", () => {
  for (const [name, value] of Object.entries(fixtures)) {
    it(name, () => {
      expect(handWritten(value)).toBe(z.safeParse(runOptionsSchema, value).success);
    });
  }

  it("the fixtures include both outcomes", () => {
    const outcomes = Object.values(fixtures).map(handWritten);
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });
});
