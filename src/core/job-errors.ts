import { RunpodError } from "./errors.js";

/** Outcome errors of a serverless job, as seen by the app that waits for it. */
export abstract class JobError extends RunpodError {
  static override readonly kind: string = "JobError";
  readonly jobId: string;
  constructor(message: string, jobId: string, options?: ErrorOptions) {
    super(message, options);
    this.jobId = jobId;
  }
}

/** The worker's error report, parsed from the JSON error string of the worker protocol (§A.4). */
export interface WorkerErrorDetails {
  errorType?: string;
  errorMessage?: string;
  errorTraceback?: string;
  hostname?: string;
  workerId?: string;
  runpodVersion?: string;
}

/** The job ended FAILED. */
export class JobFailedError extends JobError {
  static override readonly kind: string = "JobFailedError";
  /** The `error` field exactly as the platform reported it. */
  readonly error: unknown;
  /** Structured details when `error` was the worker's JSON error string. */
  readonly details: WorkerErrorDetails | undefined;
  /** Partial output the worker sent alongside the error, if any. */
  readonly output: unknown;
  constructor(jobId: string, error: unknown, output?: unknown) {
    const details = parseWorkerError(error);
    const summary =
      details?.errorMessage ?? (typeof error === "string" ? error : JSON.stringify(error));
    super(`Job ${jobId} failed: ${summary ?? "no error message"}`, jobId);
    this.error = error;
    this.details = details;
    this.output = output;
  }
}

/** The job was CANCELLED. */
export class JobCancelledError extends JobError {
  static override readonly kind: string = "JobCancelledError";
  constructor(jobId: string) {
    super(`Job ${jobId} was cancelled`, jobId);
  }
}

/** The platform reported TIMED_OUT (execution timeout or expiry). */
export class JobTimedOutError extends JobError {
  static override readonly kind: string = "JobTimedOutError";
  constructor(jobId: string) {
    super(`Job ${jobId} timed out on the platform`, jobId);
  }
}

/** Our own wait ran out; the job itself may still be running unless `cancelled`. */
export class WaitTimeoutError extends JobError {
  static override readonly kind: string = "WaitTimeoutError";
  readonly timeoutMs: number;
  /** True when the waiter cancelled the job on timeout (`cancelOnTimeout`). */
  readonly cancelled: boolean;
  constructor(jobId: string, timeoutMs: number, cancelled = false) {
    super(
      `Gave up waiting for job ${jobId} after ${timeoutMs} ms (the job was ${cancelled ? "cancelled" : "not cancelled"})`,
      jobId,
    );
    this.timeoutMs = timeoutMs;
    this.cancelled = cancelled;
  }
}

/** Parses the worker's JSON error string (§A.4); `undefined` when `error` is not one. */
export function parseWorkerError(error: unknown): WorkerErrorDetails | undefined {
  if (typeof error !== "string" || !error.startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(error);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const p = parsed as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  if (str(p.error_message) === undefined && str(p.error_type) === undefined) return undefined;
  return {
    errorType: str(p.error_type),
    errorMessage: str(p.error_message),
    errorTraceback: str(p.error_traceback),
    hostname: str(p.hostname),
    workerId: str(p.worker_id),
    runpodVersion: str(p.runpod_version),
  };
}
