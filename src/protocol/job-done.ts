/**
 * Bodies the worker posts to job-done and job-stream (§A.4, §A.5, §A.6), built and read in one
 * place so the worker and the local platform agree on every shape.
 */

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

/** What the platform makes of a job-done body (§A.14). */
export type JobDoneMeaning =
  | { kind: "progress"; output: unknown }
  | { kind: "completed"; output: unknown; stopPod: boolean }
  | { kind: "failed"; error: unknown; output: unknown; stopPod: boolean };

/**
 * Reads a parsed job-done body the way the platform does: `status: "IN_PROGRESS"` is progress,
 * an `error` key means FAILED, anything else COMPLETED. `undefined` when the body is not an object.
 */
export function interpretJobDoneBody(body: unknown): JobDoneMeaning | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (b.status === "IN_PROGRESS") return { kind: "progress", output: b.output };
  const stopPod = b.stopPod === true;
  if ("error" in b && b.error !== undefined && b.error !== null) {
    return { kind: "failed", error: b.error, output: b.output, stopPod };
  }
  return { kind: "completed", output: b.output, stopPod };
}
