import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { headerOf } from "./hangup.js";
import { jsonError } from "./http-errors.js";

/** What every refused key is told; it never echoes what was sent. */
export const UNAUTHORIZED = "unauthorized: missing or invalid API key";

/**
 * With a key configured, a request needs `Authorization: Bearer KEY` (public clients) or the raw
 * key (workers, §A.2). Digests are compared so the check takes the same time whatever was sent.
 * Returns whether an `Authorization` header value carries the key.
 */
export function apiKeyCheck(apiKey: string): (authorization: string | undefined) => boolean {
  const expected = digest(apiKey);
  return (header) => {
    if (header === undefined) return false;
    const raw = header.trim();
    const key = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, "") : raw;
    return timingSafeEqual(digest(key), expected);
  };
}

/** `apiKeyCheck` as the queue API's middleware: 401 `{error}` without the key. */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  const check = apiKeyCheck(apiKey);
  return async (c, next) => {
    if (check(headerOf(c, "authorization"))) return next();
    return jsonError(c, 401, UNAUTHORIZED);
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
