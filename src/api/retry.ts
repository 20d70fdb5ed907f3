import { AbortError } from "../core/api-errors.js";
import type { Logger } from "../core/logger.js";
import {
  type Backoff,
  isRetryable,
  MAX_RETRY_AFTER_MS,
  retryAfterOf,
  retryDelay,
} from "../core/retry-policy.js";
import { sleep } from "../internal/sleep.js";

/** How the cloud API's transports (REST v2 and GraphQL) retry; set once on `RunpodApi`. */
export interface ApiRetry {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly backoff: Backoff;
  readonly logger: Logger;
}

export interface RetryCall {
  /** Safe to repeat (reads, pod actions, PATCH/PUT/DELETE): see `isRetryable`. */
  readonly idempotent: boolean;
  /** What the log line calls the request, e.g. `GET /v2/pods`. Never holds the key. */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  /** The wait a failure asks for; `Retry-After` unless the transport knows more (rate limits). */
  readonly waitFor?: (error: unknown) => number | undefined;
}

/**
 * Runs `attempt` under the package's one retry policy: what `isRetryable` allows, up to
 * `maxRetries` times, each wait from `retryDelay` (full jitter, `Retry-After` as a lower bound).
 * A small loop rather than p-retry, because p-retry adds its own delay on top of `Retry-After`
 * instead of treating it as a lower bound.
 */
export async function withApiRetries<T>(
  attempt: () => Promise<T>,
  retry: ApiRetry,
  call: RetryCall,
): Promise<T> {
  for (let n = 0; ; n++) {
    if (call.signal?.aborted) throw new AbortError("The request was aborted");
    try {
      return await attempt();
    } catch (error) {
      if (n >= retry.maxRetries || !isRetryable(error, call.idempotent)) throw error;
      const asked = (call.waitFor ?? retryAfterOf)(error);
      // A server asking for more than a minute (an exhausted hourly or daily window) is answered
      // by the caller, with the error, not by a loop that sleeps for an hour.
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) throw error;
      const delay = retryDelay(n, retry.backoff, asked);
      retry.logger.debug(`runpod-ts: ${call.what} attempt ${n + 1} failed; retrying`, {
        error: (error as Error).message,
        delayMs: delay,
      });
      await sleep(delay, call.signal);
    }
  }
}
