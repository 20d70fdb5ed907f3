import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorTypeOfStatus, OPENAI_PATH, openaiError } from "../protocol/openai-route.js";

/**
 * Every error answer of the platform: `{"error": "<what was wrong>"}`, and under `/openai/` the
 * OpenAI error object OpenAI clients read (`{"error": {"message", "type", "code"}}`), so auth,
 * cross-site, body and routing failures there speak the same language as the route's own errors.
 */
export function jsonError(c: Context, status: ContentfulStatusCode, message: string): Response {
  if (isOpenAIPath(c.req.path))
    return c.json(openaiError(message, errorTypeOfStatus(status)), status);
  return c.json({ error: message }, status);
}

const OPENAI_SEGMENT = new RegExp(`^(/v2/[^/]+)?${OPENAI_PATH}(/|$)`);

/** `/v2/{id}/openai/…` (and `/openai/…`, as every route is also served at the root). */
export function isOpenAIPath(path: string): boolean {
  return OPENAI_SEGMENT.test(path);
}

/** Thrown while reading a request, turned into its status by the app's error handler. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413,
    message: string,
  ) {
    super(message);
  }
}
