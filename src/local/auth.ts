import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { jsonError } from "./http-errors.js";

/**
 * With a key configured, a request needs `Authorization: Bearer KEY` (public clients) or the raw
 * key (workers, §A.2). Digests are compared so the check takes the same time whatever was sent.
 * Error answers never echo what was sent.
 */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  const expected = digest(apiKey);
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (header !== undefined) {
      const raw = header.trim();
      const key = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, "") : raw;
      if (timingSafeEqual(digest(key), expected)) return next();
    }
    return jsonError(c, 401, "unauthorized: missing or invalid API key");
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
