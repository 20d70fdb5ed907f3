/**
 * The package's one retry policy: exponential backoff with full jitter, capped, and a server's
 * `Retry-After` as a lower bound. Every loop that waits before trying again (the worker's job-take
 * and stop channel, result delivery, webhooks, the endpoint client, the cloud API client) takes its
 * delay from here, so they agree on what a `Retry-After` means. Universal: no Node built-ins.
 */
import { APIError, ConnectionError, parseRetryAfter, RequestTimeoutError } from "./api-errors.js";

/** How a loop backs off. */
export interface Backoff {
  /** The ceiling of the first delay, in ms; it doubles with every attempt. */
  readonly baseMs: number;
  /** The largest ceiling, in ms. */
  readonly capMs: number;
}

/**
 * The longest `Retry-After` honoured, in ms. A server asking for more is answered by the caller
 * (the error is thrown) rather than by a loop that sleeps for minutes.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The delay before retry number `attempt` (0 for the first retry): a uniformly random point in
 * `[0, min(capMs, baseMs · 2^attempt)]` ("full jitter", so a fleet of clients that failed together
 * does not retry together), and never less than `retryAfterMs` (itself capped at 60 s).
 */
export function retryDelay(
  attempt: number,
  backoff: Backoff,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempt));
  const delay = Math.round(ceiling * random());
  if (retryAfterMs === undefined) return delay;
  return Math.max(delay, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** The server's requested wait carried by an error (`Retry-After` on any status), when it has one. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof APIError ? parseRetryAfter(error.headers["retry-after"]) : undefined;
}

/**
 * Whether a failed request may be sent again. Reads and other requests that are safe to repeat
 * (`idempotent`) are retried on network errors, request timeouts, 408, 429 and 5xx. Creations and
 * other state changes only when the connection was refused: then the request provably never
 * reached the server, so nothing can be created (or submitted, cancelled, purged) twice.
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
 * do not say why a fetch failed, so there this is always false and creations are not retried.
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
