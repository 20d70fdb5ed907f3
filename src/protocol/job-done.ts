/**
 * Bodies the worker posts to job-done and job-stream (§A.4, §A.5, §A.6), built (by the worker) and
 * read (by the local platform) in one place so both ends agree on every shape.
 */
import type { JobState } from "./job-states.js";

/** A job-done / job-stream body, in the key order the Python worker writes. */
export interface JobDoneBody {
  status?: "IN_PROGRESS";
  output?: unknown;
  error?: string;
  stopPod?: true;
}

/** The query parameter of job-done and job-stream URLs. */
export const IS_STREAM_PARAM = "isStream";

/** Headers of every job-done and job-stream POST besides auth and User-Agent (§A.4, exact). */
export function resultHeaders(jobId: string): Record<string, string> {
  return {
    "Content-Type": "application/x-www-form-urlencoded",
    charset: "utf-8",
    "X-Request-ID": jobId,
  };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * An `error` value as the platform needs it: a string. Python passes other types through, and the
 * platform then shows the job COMPLETED without output (runpod-python#299), so we stringify.
 */
function errorText(error: unknown, stringify: (v: unknown) => string): string {
  return typeof error === "string" ? error : stringify(error);
}

/**
 * Maps a handler's return value to the job-done body (§A.4 table): non-objects become
 * `{"output": v}` (`undefined` → `null`); a plain object has `error` and `refresh_worker` taken
 * out (into `error` and `stopPod`), the rest becomes `output` unless it is empty. The returned
 * object is never mutated. `stringify` turns a non-string `error` into text.
 */
export function resultBody(
  returned: unknown,
  stringify: (v: unknown) => string = (v) => JSON.stringify(v) ?? String(v),
): JobDoneBody {
  if (!isPlainRecord(returned)) return { output: returned === undefined ? null : returned };
  const { error, refresh_worker: refresh, ...rest } = returned;
  const body: JobDoneBody = {};
  if (Object.keys(rest).length > 0) body.output = rest;
  if (error) body.error = errorText(error, stringify);
  if (refresh) body.stopPod = true;
  return body;
}

/** The final body of a streaming job (§A.5): `{"output": []}` or the aggregate. */
export function streamDoneBody(aggregate: readonly unknown[] | undefined): JobDoneBody {
  return { output: aggregate ?? [] };
}

/** A failed job: `{"error": "<error string>"}`. */
export function errorBody(error: string): JobDoneBody {
  return { error };
}

/** A progress update (§A.6), key order `status`, `output`. */
export function progressBody(progress: unknown): JobDoneBody {
  return { status: "IN_PROGRESS", output: progress === undefined ? null : progress };
}

/** One stream chunk (§A.5): `{"output": chunk}`. */
export function streamChunkBody(chunk: unknown): JobDoneBody {
  return { output: chunk === undefined ? null : chunk };
}

/**
 * A yielded chunk that is a dict with a truthy `error` ends the stream as a failure (§A.5 step 2):
 * returns the error text (non-strings through `stringify`), or `undefined` for an ordinary chunk.
 */
export function chunkError(
  chunk: unknown,
  stringify: (v: unknown) => string = (v) => JSON.stringify(v) ?? String(v),
): string | undefined {
  if (!isPlainRecord(chunk) || !chunk.error) return undefined;
  return errorText(chunk.error, stringify);
}

/** `refresh_worker` in the worker's options adds `stopPod` to every final body (§A.4). */
export function withStopPod(body: JobDoneBody, refreshWorker: boolean): JobDoneBody {
  return refreshWorker ? { ...body, stopPod: true } : body;
}

/**
 * What a job-done POST means for the job (§A.4, §A.6), as the platform reads it: a body whose
 * `status` is `IN_PROGRESS` is a progress update; otherwise the job is final, FAILED when `error`
 * is truthy, else COMPLETED. `output` is present only when the body had the key.
 */
export interface JobDoneOutcome {
  state: Extract<JobState, "IN_PROGRESS" | "COMPLETED" | "FAILED">;
  /** Present (possibly `null`) only when the body carried `output`. */
  output?: unknown;
  /** The worker's error string, for FAILED. */
  error?: string;
  /** The worker asks to be refreshed (stopped) after this job. */
  stopPod: boolean;
}

/**
 * Reads a parsed job-done body; `undefined` when it is not a JSON object (nothing can be done with
 * it). A non-string truthy `error` is kept as its JSON text so it is not lost: production reportedly
 * completes such jobs without output (runpod-python#299), which helps nobody when testing locally.
 */
export function parseJobDoneBody(body: unknown): JobDoneOutcome | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const stopPod = b.stopPod === true;
  const outcome: JobDoneOutcome = { state: "COMPLETED", stopPod };
  if (Object.hasOwn(b, "output")) outcome.output = b.output;
  if (b.status === "IN_PROGRESS") {
    outcome.state = "IN_PROGRESS";
    return outcome;
  }
  if (b.error) {
    outcome.state = "FAILED";
    outcome.error = errorText(b.error, (v) => JSON.stringify(v) ?? String(v));
  }
  return outcome;
}

/** A job-stream body must be an object (`{"output": chunk}` plus whatever else the worker sent). */
export function parseStreamChunk(
  body: unknown,
): { output: unknown; [key: string]: unknown } | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  if (!Object.hasOwn(body, "output")) return undefined;
  return body as { output: unknown; [key: string]: unknown };
}
