import { RunpodError } from "../core/errors.js";

/** Why a job's `ctx.signal` was aborted. */
export type JobAbortCause = "stopped" | "timeout" | "shutdown";

/** The `reason` of an aborted `ctx.signal`: the platform stopped the job, it timed out, or the worker is shutting down. */
export class JobAbortedError extends RunpodError {
  static override readonly kind: string = "JobAbortedError";
  readonly jobId: string;
  readonly abortCause: JobAbortCause;

  constructor(jobId: string, cause: JobAbortCause, message: string) {
    super(message);
    this.jobId = jobId;
    this.abortCause = cause;
  }
}
