import type { JobState } from "./job-states.js";

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
  const withOutput = Object.hasOwn(b, "output");
  const outcome: JobDoneOutcome = { state: "COMPLETED", stopPod };
  if (withOutput) outcome.output = b.output;
  if (b.status === "IN_PROGRESS") {
    outcome.state = "IN_PROGRESS";
    return outcome;
  }
  if (b.error) {
    outcome.state = "FAILED";
    outcome.error = typeof b.error === "string" ? b.error : JSON.stringify(b.error);
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
