import {
  JobCancelledError,
  JobFailedError,
  JobTimedOutError,
  parseWorkerError,
  WaitTimeoutError,
} from "../../../core/job-errors.js";
import type { JobStatus } from "../../../protocol/status.js";
import { CliError } from "../../errors.js";

/** What a job's output or chunk looks like on a terminal: text as it is, anything else as JSON. */
export function readable(value: unknown, indent?: number): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, indent) ?? "(no output)";
}

/**
 * The worker's error in one line, and whether there is more to it (a traceback). Our worker and
 * Python's send `{"error_type", "error_message", "error_traceback"}` as JSON text; a failing
 * generator sends "handler: <message> \ntraceback: <traceback>" (§A.5): both are cut to the part a
 * person reads first.
 */
export function workerError(error: unknown): { line: string; more: boolean } {
  const d = parseWorkerError(error);
  if (d?.errorMessage !== undefined) {
    const line = d.errorType === undefined ? d.errorMessage : `${d.errorType}: ${d.errorMessage}`;
    return { line, more: Boolean(d.errorTraceback) };
  }
  const text = readable(error ?? "no error message").trim();
  const [first = "", ...rest] = text.split("\n");
  return { line: first.trim(), more: rest.length > 0 };
}

/**
 * A job that did not complete, as the one line (and hint) the CLI prints before exiting 1. The
 * endpoint id is known here, so the hint can name the command that shows more.
 */
export function jobFailure(error: unknown, endpointId: string, baseUrlFlag = ""): unknown {
  if (error instanceof JobFailedError) {
    const { line, more } = workerError(error.error);
    const status = `runpod-ts endpoint status ${endpointId} ${error.jobId}${baseUrlFlag} --json`;
    const hint = more ? `the worker's traceback is in \`${status}\`` : undefined;
    return new CliError(`Job ${error.jobId} failed: ${line}`, hint, {
      cause: error,
    });
  }
  if (error instanceof JobCancelledError) {
    return new CliError(`Job ${error.jobId} was cancelled`, undefined, { cause: error });
  }
  if (error instanceof JobTimedOutError) {
    return new CliError(
      `Job ${error.jobId} timed out on the platform (its execution timeout or TTL ran out)`,
      "give it more time with `endpoint run --execution-timeout SECONDS --policy-ttl SECONDS`",
      { cause: error },
    );
  }
  if (error instanceof WaitTimeoutError) {
    const seconds = Math.round(error.timeoutMs / 1000);
    return error.cancelled
      ? new CliError(`Gave up on job ${error.jobId} after ${seconds} s and cancelled it`)
      : new CliError(
          `Gave up waiting for job ${error.jobId} after ${seconds} s; it may still be running`,
          `follow it with \`runpod-ts endpoint status ${endpointId} ${error.jobId}${baseUrlFlag} --wait\``,
          { cause: error },
        );
  }
  return error;
}

/** The error a final status stands for (FAILED, CANCELLED, TIMED_OUT), else `undefined`. */
export function statusFailure(status: JobStatus, endpointId: string, baseUrlFlag = ""): unknown {
  const failure = (error: unknown) => jobFailure(error, endpointId, baseUrlFlag);
  if (status.status === "FAILED") {
    return failure(new JobFailedError(status.id, status.error, status.output));
  }
  if (status.status === "CANCELLED") return failure(new JobCancelledError(status.id));
  if (status.status === "TIMED_OUT") return failure(new JobTimedOutError(status.id));
  return undefined;
}
