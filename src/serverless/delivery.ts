/**
 * Posting results, stream chunks and progress to the platform (§A.4–§A.6), with the exact headers
 * and body bytes of the Python worker, and retries that do not lose results: 5xx, 429 and network
 * failures are retried by the package's retry policy for a whole window, never sooner than an
 * answer's `Retry-After`; only another 4xx or the end of the window gives up (logged at ERROR with
 * the job id).
 */
import { APIError, errorForStatus } from "../core/api-errors.js";
import { type Backoff, retryAfterOf, retryDelay } from "../core/retry-policy.js";
import { sleep } from "../internal/sleep.js";
import { IS_STREAM_PARAM, resultHeaders } from "../protocol/job-done.js";
import { appendQuery, jobUrl } from "../protocol/urls.js";
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
/** The first retry within 250 ms; the ceiling doubles up to 15 s. */
const BACKOFF: Backoff = { baseMs: 250, capMs: 15_000 };

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

  /**
   * POSTs until a 2xx, a non-retryable answer, an abort, or the end of the window. A loop over the
   * retry policy rather than p-retry: p-retry computes its own delay (`minTimeout · factor^n`,
   * times 1 to 2) and has no place for a `Retry-After`, which here is the least we wait.
   */
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
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      let error: unknown;
      try {
        const res = await this.http.post(url, label, headers, body, {
          signal: options.abort,
          timeoutMs: ATTEMPT_TIMEOUT_MS,
        });
        if (res.status >= 200 && res.status < 300) return true;
        error = errorForStatus(`${label}: platform answered ${res.status}`, {
          status: res.status,
          body: res.text.slice(0, 500),
          headers: res.retryAfter ? { "retry-after": res.retryAfter } : {},
        });
      } catch (thrown) {
        error = thrown;
      }
      if (options.abort?.aborted) return false;
      const reason = error instanceof Error ? error.message : String(error);
      if (!retryable(error) || performance.now() - started >= options.windowMs) {
        this.log.error(
          `Gave up sending the ${label} after ${attempt} attempt(s): ${reason}`,
          jobId,
        );
        return false;
      }
      const delay = retryDelay(attempt - 1, BACKOFF, retryAfterOf(error));
      this.log.warn(
        `Failed to send the ${label} (attempt ${attempt}): ${reason}; retrying in ${delay} ms`,
        jobId,
      );
      // Retrying is rare: only now is a standard AbortSignal made for the sleep.
      await sleep(delay, options.abort?.signal);
      if (options.abort?.aborted) return false;
    }
  }
}
