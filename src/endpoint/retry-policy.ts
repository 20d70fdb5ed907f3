import {
  APIError,
  ConnectionError,
  parseRetryAfter,
  RequestTimeoutError,
} from "../core/api-errors.js";
import { sleep } from "./signals.js";

/** Longest `Retry-After` we wait for; beyond it the server is better answered by the caller. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Whether a failed request may be sent again. Reads (`idempotent`) are retried on network errors,
 * request timeouts, 408, 429 and 5xx. Submissions and other state changes are retried only when
 * the connection was refused: then the request provably never reached the server, so no job can
 * be submitted (or cancelled, retried, purged) twice.
 */
export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (!idempotent) return error instanceof ConnectionError && isConnectionRefused(error.cause);
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  if (!(error instanceof APIError) || error.status === undefined) return false;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * Looks for `ECONNREFUSED` along the cause chain (Node's fetch: `TypeError("fetch failed")` whose
 * cause has the code, or an `AggregateError` of them when several addresses were tried). Browsers
 * do not say why a fetch failed, so there this is always false and submissions are not retried.
 */
export function isConnectionRefused(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (e.code === "ECONNREFUSED") return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionRefused(x, depth + 1))) {
    return true;
  }
  return isConnectionRefused(e.cause, depth + 1);
}

export interface RetryPolicy {
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * Runs `attempt`, retrying what `isRetryable` allows up to `maxRetries` times.
 *
 * A small loop rather than p-retry: measured on loopback, p-retry's per-call bookkeeping cost
 * ~25 µs per successful call, most of the 10 % overhead budget against raw fetch, and its delay
 * would be added to `Retry-After` instead of being bounded below by it.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  idempotent: boolean,
  signal?: AbortSignal,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.maxRetries || !isRetryable(error, idempotent)) throw error;
      await sleep(retryDelay(error, retry, policy), signal);
    }
  }
}

/**
 * Exponential backoff with jitter (`retryDelayMs * 2^retry`, times 1 to 2, capped at
 * `maxRetryDelayMs`), but never less than the server's `Retry-After` (itself capped at 60 s).
 */
export function retryDelay(error: unknown, retry: number, policy: RetryPolicy): number {
  const backoff = policy.retryDelayMs * 2 ** retry * (1 + Math.random());
  const delay = Math.min(policy.maxRetryDelayMs, backoff);
  const after =
    error instanceof APIError ? parseRetryAfter(error.headers["retry-after"]) : undefined;
  return after === undefined ? delay : Math.max(delay, Math.min(after, MAX_RETRY_AFTER_MS));
}
