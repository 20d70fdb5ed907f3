import { RunpodError } from "./errors.js";

/** Headers as a plain lower-cased record, so errors stay serialisable and runtime-neutral. */
export type ErrorHeaders = Readonly<Record<string, string>>;

/** An RFC 9457 problem document, as Runpod's REST API v2 sends with every error. */
export interface ProblemDetails {
  /** Short summary, e.g. `"Not Found"`. */
  readonly title: string;
  readonly status: number;
  /** Human-readable explanation, e.g. `"pod not found"`. */
  readonly detail: string;
  /** One entry per validation failure (422), e.g. `"$.gpu.id: required"`. */
  readonly errors?: readonly string[];
}

export interface APIErrorInit {
  status: number | undefined;
  body?: unknown;
  headers?: ErrorHeaders;
  requestId?: string | undefined;
  /** The problem document, when the body was one. */
  problem?: ProblemDetails | undefined;
  cause?: unknown;
}

/** An HTTP request to Runpod (or the local platform) did not succeed. */
export class APIError extends RunpodError {
  static override readonly kind: string = "APIError";
  /** HTTP status, or `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** Parsed response body (JSON when it was JSON, else the text). */
  readonly body: unknown;
  readonly headers: ErrorHeaders;
  /** The request id the server reported, when it reported one. */
  readonly requestId: string | undefined;
  /** The RFC 9457 problem document (`title`, `detail`, `errors[]`), when the body was one. */
  readonly problem: ProblemDetails | undefined;

  constructor(message: string, init: APIErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers ?? {};
    this.requestId = init.requestId;
    this.problem = init.problem;
  }
}

export class BadRequestError extends APIError {
  static override readonly kind: string = "BadRequestError";
}
/** 401, or no API key configured (then `status` is `undefined` and nothing was sent). */
export class AuthenticationError extends APIError {
  static override readonly kind: string = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  static override readonly kind: string = "PermissionDeniedError";
}
/** 404: unknown endpoint, or a job that never existed or has expired. */
export class NotFoundError extends APIError {
  static override readonly kind: string = "NotFoundError";
}
export class PayloadTooLargeError extends APIError {
  static override readonly kind: string = "PayloadTooLargeError";
}
export class RateLimitError extends APIError {
  static override readonly kind: string = "RateLimitError";
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: APIErrorInit) {
    super(message, init);
    this.retryAfterMs = parseRetryAfter(init.headers?.["retry-after"]);
  }
}
export class InternalServerError extends APIError {
  static override readonly kind: string = "InternalServerError";
}
/** The connection failed (refused, reset, DNS): no HTTP response arrived. */
export class ConnectionError extends APIError {
  static override readonly kind: string = "ConnectionError";
  constructor(message: string, cause?: unknown) {
    super(message, { status: undefined, cause });
  }
}
/** The request took longer than its timeout. */
export class RequestTimeoutError extends APIError {
  static override readonly kind: string = "RequestTimeoutError";
  constructor(message: string, cause?: unknown) {
    super(message, { status: undefined, cause });
  }
}

/** The caller aborted the operation through its `AbortSignal`. */
export class AbortError extends RunpodError {
  static override readonly kind: string = "AbortError";
}

/** A response arrived but its body was not what the protocol promises (not JSON, wrong shape). */
export class InvalidResponseError extends APIError {
  static override readonly kind: string = "InvalidResponseError";
}

/**
 * Seconds or an HTTP date, as `Retry-After` allows; `undefined` when absent or unreadable.
 * @internal exported for the transports
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The one place an HTTP status becomes an error class. */
export function errorForStatus(message: string, init: APIErrorInit & { status: number }): APIError {
  const { status } = init;
  if (status === 400) return new BadRequestError(message, init);
  if (status === 401) return new AuthenticationError(message, init);
  if (status === 403) return new PermissionDeniedError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 413) return new PayloadTooLargeError(message, init);
  if (status === 429) return new RateLimitError(message, init);
  if (status >= 500) return new InternalServerError(message, init);
  return new APIError(message, init);
}
