import { validated } from "../core/checks.js";
import type { JobStatus } from "../protocol/status.js";
import {
  type SignalOptions,
  signalOptionsRule,
  type WaitOptions,
  waitOptionsRule,
} from "./options.js";
import { asStatus } from "./responses.js";
import { JobStream } from "./stream.js";
import type { Transport } from "./transport.js";
import { getStatus, jobPath, waitForOutput } from "./wait.js";

/** A job submitted to an endpoint: from `endpoint.run()`, or `Endpoint.job()` to re-attach. */
export class JobHandle<Output = unknown, Chunk = Output> {
  readonly #t: Transport;

  /** @internal use `endpoint.run()` or `Endpoint.job()` */
  constructor(
    transport: Transport,
    /** The job id the platform assigned. */
    readonly id: string,
  ) {
    this.#t = transport;
  }

  /** The endpoint this job belongs to. */
  get endpointId(): string {
    return this.#t.endpointId;
  }

  /** The job's current status object (`GET /status/{id}`). */
  async status(options: SignalOptions = {}): Promise<JobStatus<Output>> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "status options");
    return getStatus<Output>(this.#t, this.id, signal);
  }

  /**
   * Waits until the job is final and resolves its output when COMPLETED; throws `JobFailedError`,
   * `JobCancelledError` or `JobTimedOutError` otherwise, and `WaitTimeoutError` when `timeoutMs`
   * runs out first.
   */
  async output(options: WaitOptions = {}): Promise<Output> {
    const o = validated<WaitOptions>(waitOptionsRule, options, "output options");
    return waitForOutput<Output>(this.#t, this.id, {
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      deadline: o.timeoutMs === undefined ? undefined : Date.now() + o.timeoutMs,
      cancelOnTimeout: o.cancelOnTimeout,
    });
  }

  /** The outputs a streaming handler yields, in order, each once (see `JobStream`). */
  stream(options: SignalOptions = {}): JobStream<Chunk> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "stream options");
    return new JobStream<Chunk>(this.#t, this.id, signal);
  }

  /** Cancels the job: removed if queued, stopped if running (`POST /cancel/{id}`). */
  async cancel(options: SignalOptions = {}): Promise<JobStatus<Output>> {
    return this.#post("cancel", options);
  }

  /** Queues a FAILED or TIMED_OUT job again under the same id (`POST /retry/{id}`). */
  async retry(options: SignalOptions = {}): Promise<JobStatus<Output>> {
    return this.#post("retry", options);
  }

  async #post(route: "cancel" | "retry", options: SignalOptions): Promise<JobStatus<Output>> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, `${route} options`);
    const path = jobPath(route, this.id);
    const body = await this.#t.send({
      method: "POST",
      path,
      body: "{}",
      idempotent: false,
      signal,
    });
    return asStatus<Output>(body, `POST ${path}`);
  }
}
