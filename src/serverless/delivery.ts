/**
 * Posting results, stream chunks and progress to the platform (§A.4–§A.6), with the exact headers
 * and body bytes of the Python worker, and retries that do not lose results: 5xx, 429 and network
 * failures are retried with exponential backoff and jitter for a whole window; only another 4xx
 * or the end of the window gives up (logged at ERROR with the job id).
 */
import pRetry, { AbortError as StopRetrying } from "p-retry";
import { APIError, errorForStatus } from "../core/api-errors.js";
import { RunpodError } from "../core/errors.js";
import { sleep } from "../internal/sleep.js";
import { IS_STREAM_PARAM, resultHeaders } from "../protocol/job-done.js";
import { appendQuery, jobUrl } from "../protocol/urls.js";
import { backoffDelay } from "./backoff.js";
import type { WorkerHttp } from "./http.js";
import type { JobAbort } from "./job-abort.js";
import type { WorkerLog } from "./log.js";

export interface DeliveryTarget {
  doneTemplate: string;
  streamTemplate: string;
  workerId: string;
}

export interface DeliverOptions {
  /** How long to keep retrying, in ms (0: one attempt). */
  windowMs: number;
  /** Aborts the request and the retries (a stopped job posts nothing). */
  abort?: JobAbort | undefined;
}

const encoder = new TextEncoder();
const ATTEMPT_TIMEOUT_MS = 90_000;
/** Delay before the first retry; later ones double, with jitter, up to 15 s. */
const FIRST_RETRY_MS = 250;

function retryable(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  const status = error.status;
  return status === undefined || status >= 500 || status === 429;
}

export class Delivery {
  constructor(
    private readonly http: WorkerHttp,
    private readonly target: DeliveryTarget,
    private readonly log: WorkerLog,
  ) {}

  /** The final result: job-done with `isStream=true|false`. Resolves `true` once delivered. */
  result(
    jobId: string,
    json: string,
    isStream: boolean,
    options: DeliverOptions,
  ): Promise<boolean> {
    const url = appendQuery(jobUrl(this.target.doneTemplate, this.target.workerId, jobId), [
      [IS_STREAM_PARAM, isStream ? "true" : "false"],
    ]);
    return this.post(url, jobId, json, "result", options);
  }

  /** A progress update: job-done with `isStream=false`. */
  progress(jobId: string, json: string, options: DeliverOptions): Promise<boolean> {
    const url = appendQuery(jobUrl(this.target.doneTemplate, this.target.workerId, jobId), [
      [IS_STREAM_PARAM, "false"],
    ]);
    return this.post(url, jobId, json, "progress update", options);
  }

  /** One stream chunk: job-stream with `isStream=false` (sic, §A.5). */
  chunk(jobId: string, json: string, options: DeliverOptions): Promise<boolean> {
    const url = appendQuery(jobUrl(this.target.streamTemplate, this.target.workerId, jobId), [
      [IS_STREAM_PARAM, "false"],
    ]);
    return this.post(url, jobId, json, "stream chunk", options);
  }

  private async post(
    url: string,
    jobId: string,
    json: string,
    what: string,
    options: DeliverOptions,
  ): Promise<boolean> {
    const body = encoder.encode(json);
    const headers = resultHeaders(jobId);
    const label = `${what} of job ${jobId}`;
    let attempts = 0;
    const attempt = async () => {
      attempts++;
      const res = await this.http.post(url, label, headers, body, {
        signal: options.abort,
        timeoutMs: ATTEMPT_TIMEOUT_MS,
      });
      if (res.status >= 200 && res.status < 300) return;
      const error = errorForStatus(`${label}: platform answered ${res.status}`, {
        status: res.status,
        body: res.text.slice(0, 500),
        headers: res.retryAfter ? { "retry-after": res.retryAfter } : {},
      });
      if (!retryable(error)) throw new StopRetrying(error);
      throw error;
    };
    const started = performance.now();
    const warn = (error: Error, n: number) =>
      this.log.warn(`Failed to send the ${label} (attempt ${n}): ${error.message}`, jobId);
    try {
      try {
        // The common case, one request, skips the retry machinery.
        await attempt();
        return true;
      } catch (first) {
        if (first instanceof StopRetrying || !retryable(first) || options.abort?.aborted)
          throw first;
        warn(first as Error, 1);
      }
      // Retrying is rare: only now is a standard AbortSignal made for sleep and p-retry.
      const signal = options.abort?.signal;
      await sleep(backoffDelay(1, FIRST_RETRY_MS, FIRST_RETRY_MS), signal);
      await pRetry(attempt, {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 2 * FIRST_RETRY_MS,
        factor: 2,
        maxTimeout: 15_000,
        randomize: true,
        maxRetryTime: Math.max(0, options.windowMs - (performance.now() - started)),
        signal,
        shouldRetry: ({ error }) => retryable(error),
        onFailedAttempt: ({ error }) => warn(error, attempts),
      });
      return true;
    } catch (error) {
      if (options.abort?.aborted) return false;
      const cause = error instanceof StopRetrying ? error.originalError : error;
      const reason =
        cause instanceof RunpodError || cause instanceof Error ? cause.message : String(cause);
      this.log.error(`Gave up sending the ${label} after ${attempts} attempt(s): ${reason}`, jobId);
      return false;
    }
  }
}
