/**
 * The OpenAI-compatible route of queue endpoints (`/v2/{id}/openai/v1/<route>`, spec
 * openai-route.md): the job input the platform builds from a request, how a job's output becomes
 * the HTTP answer, Server-Sent-Events framing, and the OpenAI-shaped error object. Shared by the
 * local platform, the worker helper and the endpoint client; pure, no I/O.
 */
import { isJsonObject } from "../internal/json-object.js";

/** The path segment after `/v2/{id}` under which OpenAI clients are served. */
export const OPENAI_PATH = "/openai";

/** `openai_route` values start with this (`/v1/chat/completions`, `/v1/models`, …). */
export const OPENAI_ROUTE_PREFIX = "/v1/";

/** What `baseURL` an OpenAI client needs for an endpoint whose API root is `endpointUrl`. */
export function openaiBaseUrl(endpointUrl: string): string {
  return `${endpointUrl.replace(/\/+$/, "")}${OPENAI_PATH}/v1`;
}

/** A route as the job carries it, e.g. `/v1/chat/completions`. */
export type OpenAIRoute = `/v1/${string}`;

/** A JSON request body as the client sent it. */
export type OpenAIBody = { [key: string]: unknown };

/**
 * The job input of an OpenAI-route request (§3.1): the route and, for requests with a body, the
 * body unchanged. GET requests carry no `openai_input` (production may send `{}`: treat both alike).
 */
export interface OpenAIJobInput<Body extends OpenAIBody = OpenAIBody> {
  openai_route: OpenAIRoute;
  openai_input?: Body;
}

/** The job input for a request to `route` with `body` (`undefined`: no body, a GET). */
export function openaiJobInput(route: OpenAIRoute, body: OpenAIBody | undefined): OpenAIJobInput {
  return body === undefined ? { openai_route: route } : { openai_route: route, openai_input: body };
}

/** Whether a job input is an OpenAI-route input (what the worker helper routes on). */
export function isOpenAIJobInput(input: unknown): input is OpenAIJobInput {
  if (!isJsonObject(input)) return false;
  const { openai_route: route, openai_input: body } = input;
  if (typeof route !== "string" || !route.startsWith(OPENAI_ROUTE_PREFIX)) return false;
  return body === undefined || body === null || isJsonObject(body);
}

/** The request body of an input, `undefined` when absent or empty (`{}` from a GET). */
export function requestBody(input: OpenAIJobInput): OpenAIBody | undefined {
  const body = input.openai_input;
  return isJsonObject(body) && Object.keys(body).length > 0 ? body : undefined;
}

/** `"stream": true` in the body: the answer is an event stream. */
export function wantsStream(body: OpenAIBody | undefined): boolean {
  return body?.stream === true;
}

/**
 * The JSON answer of a non-streaming request (§4.1): the job output, or the single element of a
 * one-element list (what a generator that yields once produces with `return_aggregate_stream`).
 */
export function responseOfOutput(output: unknown): unknown {
  return Array.isArray(output) && output.length === 1 ? output[0] : output;
}

/** The end of an OpenAI event stream; the worker sends it, the platform never adds it (§4.2). */
export const SSE_DONE = "data: [DONE]\n\n";

/** One Server-Sent Event carrying `value` as JSON. */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/**
 * What goes on the wire for one stream chunk (§4.2): a string is raw SSE text, written verbatim;
 * anything else (a chunk object, as `RAW_OPENAI_OUTPUT=0` workers yield) is framed as one event.
 */
export function sseTextOf(chunk: unknown): string {
  return typeof chunk === "string" ? chunk : sseData(chunk);
}

/** The error object OpenAI APIs answer with (and OpenAI clients read). */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param?: string | null;
    code: string | number | null;
  };
}

/** The `type` OpenAI uses for an HTTP status. */
export function errorTypeOfStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 504) return "timeout_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export function openaiError(
  message: string,
  type: string,
  code: string | number | null = null,
): OpenAIErrorBody {
  return { error: { message, type, code } };
}

/**
 * The HTTP answer for a FAILED job (§5, stand-in defined): the worker's error becomes the OpenAI
 * error object. A worker that reports an OpenAI error object (`{"message", "type", "code"}`, as the
 * worker helper and vLLM do) keeps its message and type, and an HTTP status in `code` becomes the
 * status; otherwise "HTTP 4xx" in the text (worker-vllm's "vLLM returned HTTP 400: …") is used, and
 * 500 when nothing says better. The worker's own error string (a thrown exception) is shortened to
 * `type: message`.
 */
export function failedJobError(errorText: string | undefined): {
  status: number;
  body: OpenAIErrorBody;
} {
  const text = errorText ?? "the job failed without an error message";
  const parsed = parseObject(text);
  if (parsed && typeof parsed.message === "string") {
    const status = httpStatusOf(parsed.code) ?? statusInText(parsed.message) ?? 500;
    const type = typeof parsed.type === "string" ? parsed.type : "worker_error";
    const code =
      typeof parsed.code === "string" || typeof parsed.code === "number" ? parsed.code : null;
    const body = openaiError(parsed.message, type, code);
    if (typeof parsed.param === "string") body.error.param = parsed.param;
    return { status, body };
  }
  if (parsed && typeof parsed.error_message === "string") {
    const kind = typeof parsed.error_type === "string" ? `${parsed.error_type}: ` : "";
    const message = `${kind}${parsed.error_message}`;
    return { status: statusInText(message) ?? 500, body: openaiError(message, "worker_error") };
  }
  return { status: statusInText(text) ?? 500, body: openaiError(text, "worker_error") };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function httpStatusOf(code: unknown): number | undefined {
  return typeof code === "number" && Number.isInteger(code) && code >= 400 && code <= 599
    ? code
    : undefined;
}

function statusInText(text: string): number | undefined {
  const match = /\bHTTP (4\d\d)\b/.exec(text);
  return match ? Number(match[1]) : undefined;
}
