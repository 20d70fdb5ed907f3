import type { Logger } from "../core/logger.js";
import type { Job } from "../protocol/job.js";

/** The Standard Schema interface (standardschema.dev), implemented by zod 4, valibot, arktype… */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

/** What a handler can use besides the job: reachable anywhere below it via `serverless.currentJob()`. */
export interface JobContext<Input = unknown> {
  /** The job id. */
  readonly id: string;
  /** `job.input`, validated and parsed when `inputSchema` is set. */
  readonly input: Input;
  /** The job exactly as the platform sent it. */
  readonly job: Job;
  /**
   * Aborted when the platform stops the job (cancel, TTL, execution timeout), when `timeoutMs`
   * elapses, or when shutdown's grace period ends. `signal.reason` says which.
   */
  readonly signal: AbortSignal;
  /**
   * Reports progress (`/status` shows it as `output` while IN_PROGRESS). Updates are delivered in
   * order and never after the final result; the promise settles when this one was delivered.
   */
  progress(value: unknown): Promise<void>;
  /** Logs with the job id attached (JSON lines on the platform). */
  readonly log: Logger;
}

/** Any value, promise, (async) generator or returned (async) iterator. */
export type HandlerResult<Output> =
  | Output
  | Promise<Output>
  | Iterable<Output>
  | AsyncIterable<Output>
  | Promise<Iterable<Output> | AsyncIterable<Output>>;

/** A serverless handler: `(job, ctx) => value | Promise | Iterable | AsyncIterable`. */
export type Handler<Input = unknown, Result = unknown> = (
  job: Job<Input>,
  ctx: JobContext<Input>,
) => Result;

export type { HandlerChunk, HandlerInput, HandlerOutput } from "../protocol/handler-types.js";

/** Concurrency: a fixed number, or asked again before each fetch. */
export type Concurrency = number | ((current: number) => number | Promise<number>);

/** Options of `serverless.start()`. */
export interface StartOptions<Input = unknown, Result = unknown> {
  /** The function that runs each job. */
  handler: Handler<Input, Result>;
  /**
   * How many jobs run at once. A function is called before each fetch with the current value; a
   * result that is not a positive integer (or a throw) is logged and ignored.
   * @default 1
   */
  concurrency?: Concurrency;
  /** For streaming handlers: also send every chunk, as a list, as the final output. @default false */
  returnAggregateStream?: boolean;
  /** Ask the platform to replace this worker after each job, and exit after it. @default false */
  refreshWorker?: boolean;
  /** Validates `job.input` before the handler runs (zod or any Standard Schema). */
  inputSchema?: StandardSchemaV1<unknown, Input>;
  /** Per-job limit: the job's signal is aborted and the job reported FAILED. No limit by default. */
  timeoutMs?: number;
  /**
   * On SIGTERM/SIGINT, how long running jobs may take before their signal is aborted and they
   * are reported FAILED, and how long a job-take in flight is waited for before it is abandoned
   * (jobs it brings back before then run as usual). Unlimited by default: every job finishes,
   * and the take comes back within its 90 s timeout.
   */
  shutdownGraceMs?: number;
  /**
   * How long a result is retried when job-done answers 5xx/429 or the network fails.
   * Env `RUNPOD_RESULT_RETRY_WINDOW_MS`. @default 900000 (15 minutes)
   */
  resultRetryWindowMs?: number;
}
