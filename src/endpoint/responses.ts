import * as z from "zod/mini";
import { InvalidResponseError } from "../core/api-errors.js";
import type {
  EndpointHealth,
  JobStatus,
  PurgeQueueResponse,
  StreamResponse,
} from "../protocol/status.js";

/*
 * Shapes checked on every response: only the fields the client relies on, loose so that new
 * fields (and states we do not know, such as the documented but never seen RUNNING) pass through.
 */
const statusSchema = z.looseObject({ id: z.string(), status: z.string() });
const streamSchema = z.looseObject({
  status: z.string(),
  stream: z.optional(z.array(z.looseObject({ output: z.unknown() }))),
});
const counters = z.record(z.string(), z.number());
const healthSchema = z.looseObject({ jobs: counters, workers: counters });
const purgeSchema = z.looseObject({ removed: z.number(), status: z.string() });

function check(schema: z.ZodMiniType, value: unknown, what: string): void {
  const result = z.safeParse(schema, value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new InvalidResponseError(`${what} is not a valid response${where}: ${issue?.message}`, {
      status: 200,
      body: value,
    });
  }
}

export function asStatus<Output>(value: unknown, what: string): JobStatus<Output> {
  check(statusSchema, value, what);
  return value as JobStatus<Output>;
}

export function asStream<Chunk>(value: unknown, what: string): StreamResponse<Chunk> {
  check(streamSchema, value, what);
  const v = value as StreamResponse<Chunk>;
  // Tolerate a missing `stream` list (an older platform build), as Python's asyncio client does.
  return v.stream ? v : { ...v, stream: [] };
}

export function asHealth(value: unknown): EndpointHealth {
  check(healthSchema, value, "GET /health");
  return value as EndpointHealth;
}

export function asPurge(value: unknown): PurgeQueueResponse {
  check(purgeSchema, value, "POST /purge-queue");
  return value as PurgeQueueResponse;
}
