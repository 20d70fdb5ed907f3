import pRetry from "p-retry";
import {
  AbortError,
  APIError,
  ConnectionError,
  parseRetryAfter,
  RequestTimeoutError,
} from "../core/api-errors.js";
import { RunpodError } from "../core/errors.js";
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
 * Runs `attempt` with exponential backoff and jitter (p-retry), honouring `Retry-After` when the
 * server sent one: that wait comes before p-retry's own delay, so the server's minimum is respected.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  idempotent: boolean,
  signal?: AbortSignal,
): Promise<T> {
  const retryable = (error: unknown) => isRetryable(error, idempotent);
  try {
    return await pRetry(attempt, {
      retries: policy.maxRetries,
      factor: 2,
      minTimeout: policy.retryDelayMs,
      maxTimeout: policy.maxRetryDelayMs,
      randomize: true,
      ...(signal ? { signal } : {}),
      shouldRetry: ({ error }) => retryable(error),
      onFailedAttempt: async ({ error, retriesLeft }) => {
        if (retriesLeft === 0 || !retryable(error) || !(error instanceof APIError)) return;
        const after = parseRetryAfter(error.headers["retry-after"]);
        if (after !== undefined && after > 0)
          await sleep(Math.min(after, MAX_RETRY_AFTER_MS), signal);
      },
    });
  } catch (error) {
    // p-retry rejects with the signal's reason when aborted between attempts.
    if (signal?.aborted && !(error instanceof RunpodError)) {
      throw new AbortError("The request was aborted", { cause: signal.reason });
    }
    throw error;
  }
}
