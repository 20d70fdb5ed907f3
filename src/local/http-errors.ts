import { STATUS_CODES } from "node:http";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorTypeOfStatus, OPENAI_PATH, openaiError } from "../protocol/openai-route.js";

/**
 * Every error answer of the platform: `{"error": "<what was wrong>"}`; under `/openai/` the
 * OpenAI error object OpenAI clients read (`{"error": {"message", "type", "code"}}`); under the
 * REST v2 view (`/v2/serverless`) an RFC 9457 problem document as Runpod's REST API sends
 * (`{"title", "status", "detail", "errors"?}`, `application/problem+json`). So auth, cross-site,
 * body and routing failures there speak the same language as the routes' own errors.
 */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  errors?: readonly string[],
): Response {
  const path = c.req.path;
  if (isOpenAIPath(path)) return c.json(openaiError(message, errorTypeOfStatus(status)), status);
  if (isRestPath(path)) {
    const body = {
      title: STATUS_CODES[status] ?? "Error",
      status,
      detail: message,
      ...(errors === undefined ? {} : { errors }),
    };
    return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" });
  }
  return c.json({ error: message }, status);
}

const OPENAI_SEGMENT = new RegExp(`^(/v2/[^/]+)?${OPENAI_PATH}(/|$)`);

/** `/v2/{id}/openai/…` (and `/openai/…`, as every route is also served at the root). */
export function isOpenAIPath(path: string): boolean {
  return OPENAI_SEGMENT.test(path);
}

/** The REST v2 collection the platform serves; no endpoint may be named after it. */
export const REST_SERVERLESS_PATH = "/v2/serverless";

/** `/v2/serverless` and anything under it. */
export function isRestPath(path: string): boolean {
  return path === REST_SERVERLESS_PATH || path.startsWith(`${REST_SERVERLESS_PATH}/`);
}

/** Thrown while reading a request, turned into its status by the app's error handler. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422,
    message: string,
    /** Each violation, for a problem document's `errors`. */
    readonly errors?: readonly string[],
  ) {
    super(message);
  }
}
