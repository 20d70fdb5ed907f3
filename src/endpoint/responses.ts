import { InvalidResponseError } from "../core/api-errors.js";
import { isJsonObject } from "../internal/json-object.js";
import type {
  EndpointHealth,
  JobStatus,
  PurgeQueueResponse,
  StreamResponse,
} from "../protocol/status.js";

/*
 * Shapes checked on every response: only the fields the client relies on, so that new fields (and
 * states we do not know, such as the documented but never seen RUNNING) pass through.
 */

function expect(ok: boolean, value: unknown, what: string, shape: string): void {
  if (!ok) {
    throw new InvalidResponseError(`${what} is not a valid response: expected ${shape}`, {
      status: 200,
      body: value,
    });
  }
}

export function asStatus<Output>(value: unknown, what: string): JobStatus<Output> {
  const ok =
    isJsonObject(value) && typeof value.id === "string" && typeof value.status === "string";
  expect(ok, value, what, "a status object with string id and status");
  return value as unknown as JobStatus<Output>;
}

export function asStream<Chunk>(value: unknown, what: string): StreamResponse<Chunk> {
  const ok =
    isJsonObject(value) &&
    typeof value.status === "string" &&
    (value.stream === undefined ||
      (Array.isArray(value.stream) && value.stream.every(isJsonObject)));
  expect(ok, value, what, "{status, stream: [{output}, ...]}");
  const v = value as unknown as StreamResponse<Chunk>;
  // Tolerate a missing `stream` list (an older platform build), as Python's asyncio client does.
  return v.stream ? v : { ...v, stream: [] };
}

export function asHealth(value: unknown): EndpointHealth {
  const ok = isJsonObject(value) && isJsonObject(value.jobs) && isJsonObject(value.workers);
  expect(ok, value, "GET /health", "{jobs, workers}");
  return value as unknown as EndpointHealth;
}

export function asPurge(value: unknown): PurgeQueueResponse {
  const ok = isJsonObject(value) && typeof value.removed === "number";
  expect(ok, value, "POST /purge-queue", "{removed, status}");
  return value as unknown as PurgeQueueResponse;
}
