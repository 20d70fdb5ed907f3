/**
 * The routing and Server-Sent-Events framing behind `openaiHandler` and `openaiProxy`, loaded on
 * the first OpenAI-route job. A handler's answer is what the job returns: the response object, an
 * async generator of SSE text (a streaming job), or an `{error}` object (a failed job, which the
 * platform answers with an OpenAI error).
 */
import type { Job } from "../../protocol/job.js";
import {
  isOpenAIJobInput,
  type OpenAIErrorBody,
  type OpenAIJobInput,
  openaiError,
  requestBody,
  SSE_DONE,
  sseData,
  wantsStream,
} from "../../protocol/openai-route.js";
import type { JobContext } from "../types.js";
import { OpenAIRouteError } from "./route-error.js";
import type { OpenAIRoutes } from "./types.js";

const BAD_INPUT =
  'Job input must be {"openai_route": "/v1/<route>", "openai_input"?: <request body>}, as the /openai/v1/* route builds it';

export async function handleRoute(
  routes: Readonly<OpenAIRoutes>,
  job: Job<OpenAIJobInput>,
  ctx: JobContext<OpenAIJobInput>,
): Promise<unknown> {
  const input = job.input;
  if (!isOpenAIJobInput(input)) return failure(400, BAD_INPUT, "invalid_request_error");
  const route = input.openai_route;
  const fn = Object.hasOwn(routes, route) ? routes[route] : undefined;
  if (fn === undefined) {
    const served = Object.keys(routes).join(", ") || "no routes";
    return failure(404, `Invalid route ${route}: this worker serves ${served}`, "not_found_error");
  }
  const body = requestBody(input);
  let result: unknown;
  try {
    result = await fn(body, ctx);
  } catch (thrown) {
    if (thrown instanceof OpenAIRouteError) return routeFailure(thrown);
    throw thrown;
  }
  const chunks = iterableOf(result);
  if (wantsStream(body)) {
    if (chunks) return frame(chunks);
    if (isErrorBody(result)) return result;
    throw new TypeError(
      `route ${route} got "stream": true but returned ${describe(result)}; return an (async) iterable of chunks, e.g. an async generator`,
    );
  }
  if (chunks) {
    throw new TypeError(
      `route ${route} returned a stream for a request without "stream": true; return the response object`,
    );
  }
  return result;
}

/**
 * SSE text for the platform to relay: objects become `data: <json>\n\n` (see `eventOf`), strings pass unchanged,
 * and `data: [DONE]\n\n` ends the stream unless what was sent already ends with it. An error (an
 * `{error}` chunk or a thrown `OpenAIRouteError`) is yielded as an `{error}` object, which ends the
 * job as failed.
 */
async function* frame(
  chunks: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<string | OpenAIErrorBody> {
  let tail = "";
  try {
    for await (const chunk of chunks) {
      if (isErrorBody(chunk)) {
        yield chunk;
        return;
      }
      const text = typeof chunk === "string" ? chunk : eventOf(chunk);
      if (text === "") continue;
      tail = (tail + text).slice(-SSE_DONE.length);
      yield text;
    }
  } catch (thrown) {
    if (thrown instanceof OpenAIRouteError) {
      yield routeFailure(thrown);
      return;
    }
    throw thrown;
  }
  if (tail !== SSE_DONE) yield SSE_DONE;
}

/**
 * One chunk object as SSE. Objects with a string `type` (Responses API and Anthropic Messages
 * events) also get the `event:` line those APIs send; chat and completion chunks have none.
 */
function eventOf(chunk: unknown): string {
  const type = (chunk as { type?: unknown } | null)?.type;
  return typeof type === "string" && /^[\w.-]+$/.test(type)
    ? `event: ${type}\n${sseData(chunk)}`
    : sseData(chunk);
}

export interface ProxyTarget {
  baseUrl: string;
  headers: Record<string, string>;
}

/** Forwards the job to the upstream server and relays its answer (see `openaiProxy`). */
export async function proxyRoute(
  target: ProxyTarget,
  job: Job<OpenAIJobInput>,
  ctx: JobContext<OpenAIJobInput>,
): Promise<unknown> {
  const input = job.input;
  if (!isOpenAIJobInput(input)) return failure(400, BAD_INPUT, "invalid_request_error");
  const body = requestBody(input);
  const url = `${target.baseUrl}${input.openai_route}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        accept: wantsStream(body) ? "text/event-stream" : "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...target.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const cause = (error as Error).cause instanceof Error ? (error as Error).cause : error;
    const message = `upstream server ${url} cannot be reached: ${(cause as Error).message}`;
    return failure(502, message, "upstream_error");
  }
  if (!res.ok) return upstreamFailure(res);
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream") && res.body) return relay(res.body);
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return failure(
      502,
      `upstream server ${url} answered with no JSON: ${clip(text)}`,
      "upstream_error",
    );
  }
}

/** The upstream's SSE bytes as text, as they arrive (no re-framing). */
async function* relay(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (text !== "") yield text;
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    // Stopped early (the job was cancelled): close the upstream request too.
    await reader.cancel().catch(() => {});
  }
}

async function upstreamFailure(res: Response): Promise<OpenAIErrorBody> {
  const text = await res.text().catch(() => "");
  let upstream: { message?: unknown; type?: unknown } | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = typeof parsed.error === "object" && parsed.error !== null ? parsed.error : parsed;
    upstream = error as { message?: unknown; type?: unknown };
  } catch {}
  const message =
    typeof upstream?.message === "string" ? upstream.message : `HTTP ${res.status}: ${clip(text)}`;
  const type = typeof upstream?.type === "string" ? upstream.type : "upstream_error";
  return failure(res.status >= 400 && res.status <= 599 ? res.status : 502, message, type);
}

function failure(status: number, message: string, type: string): OpenAIErrorBody {
  return openaiError(message, type, status);
}

function routeFailure(error: OpenAIRouteError): OpenAIErrorBody {
  return failure(error.status, error.message, error.type);
}

function isErrorBody(value: unknown): value is OpenAIErrorBody {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === "object" && error !== null && "message" in error;
}

/** Generators and other iterables, not arrays, strings or plain objects. */
function iterableOf(value: unknown): AsyncIterable<unknown> | Iterable<unknown> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if (Symbol.asyncIterator in value) return value as AsyncIterable<unknown>;
  if (Symbol.iterator in value) return value as Iterable<unknown>;
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
