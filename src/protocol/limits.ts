/**
 * Numeric limits of the public API (§B.2, §B.6), free of zod so the universal endpoint client can
 * check against them without bundling it; `run-request.ts` builds its schemas from them.
 */

/** Payload limits, in bytes. */
export const RUN_BODY_LIMIT = 10 * 1024 * 1024;
export const RUNSYNC_BODY_LIMIT = 20 * 1024 * 1024;
/** `/runsync` and `status-sync` wait bounds, in ms. */
export const SYNC_WAIT_DEFAULT_MS = 90_000;
export const SYNC_WAIT_MIN_MS = 1_000;
export const SYNC_WAIT_MAX_MS = 300_000;
/** `policy.executionTimeout` bounds, in ms (platform default 600 000). */
export const EXECUTION_TIMEOUT_MIN_MS = 5_000;
export const EXECUTION_TIMEOUT_MAX_MS = 604_800_000;
/** `policy.ttl` bounds, in ms (platform default 86 400 000). */
export const TTL_MIN_MS = 10_000;
export const TTL_MAX_MS = 604_800_000;
/** `webhook` URLs must use one of these protocols. */
export const WEBHOOK_PROTOCOL = /^https?$/;
