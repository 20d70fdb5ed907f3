import {
  JobCancelledError,
  JobFailedError,
  JobTimedOutError,
  JobTimeoutError,
} from "../../../core/job-errors.js";
import type { JobStatus } from "../../../protocol/status.js";
import { CliError } from "../../errors.js";

/** What a job's output or chunk looks like on a terminal: text as it is, anything else as JSON. */
export function readable(value: unknown, indent?: number): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, indent) ?? "(no output)";
}

/** The worker's error in one line: its type and message when it sent the protocol's JSON error. */
export function workerError(error: JobFailedError): string {
  const d = error.details;
  if (d?.errorMessage !== undefined) {
    return d.errorType === undefined ? d.errorMessage : `${d.errorType}: ${d.errorMessage}`;
  }
  return readable(error.error ?? "no error message");
}

/**
 * A job that did not complete, as the one line (and hint) the CLI prints before exiting 1. The
 * endpoint id is known here, so the hint can name the command that shows more.
 */
export function jobFailure(error: unknown, endpointId: string): unknown {
  if (error instanceof JobFailedError) {
    const more = `runpod-ts endpoint status ${endpointId} ${error.jobId} --json`;
    const hint =
      error.details?.errorTraceback === undefined
        ? undefined
        : `the worker's traceback is in \`${more}\``;
    return new CliError(`Job ${error.jobId} failed: ${workerError(error)}`, hint, {
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
  if (error instanceof JobTimeoutError) {
    const seconds = Math.round(error.timeoutMs / 1000);
    return error.cancelled
      ? new CliError(`Gave up on job ${error.jobId} after ${seconds} s and cancelled it`)
      : new CliError(
          `Gave up waiting for job ${error.jobId} after ${seconds} s; it may still be running`,
          `follow it with \`runpod-ts endpoint status ${endpointId} ${error.jobId} --wait\``,
          { cause: error },
        );
  }
  return error;
}

/** The error a final status stands for (FAILED, CANCELLED, TIMED_OUT), else `undefined`. */
export function statusFailure(status: JobStatus, endpointId: string): unknown {
  if (status.status === "FAILED") {
    return jobFailure(new JobFailedError(status.id, status.error, status.output), endpointId);
  }
  if (status.status === "CANCELLED")
    return jobFailure(new JobCancelledError(status.id), endpointId);
  if (status.status === "TIMED_OUT") return jobFailure(new JobTimedOutError(status.id), endpointId);
  return undefined;
}
