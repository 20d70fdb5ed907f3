/**
 * The few OpenAI API shapes a route handler deals with, written here rather than imported from the
 * `openai` package so a worker needs no `openai` install and our published declarations resolve
 * without it. Requests are open (`[key: string]: unknown`: vLLM extras pass through); responses
 * list what OpenAI clients read, and the `openai` package's own response types are assignable to
 * them (pinned by tests/serverless/openai-types.test.ts), so objects built with its types fit.
 */
import type { OpenAIBody, OpenAIErrorBody, OpenAIJobInput } from "../../protocol/openai-route.js";
import type { JobContext } from "../types.js";

export interface ChatMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** The body of `POST /v1/chat/completions`. */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null; [key: string]: unknown } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  [key: string]: unknown;
}

/** The body of `POST /v1/completions`. */
export interface CompletionRequest {
  model: string;
  prompt: string | string[] | number[] | number[][] | null;
  stream?: boolean | null;
  max_tokens?: number | null;
  temperature?: number | null;
  [key: string]: unknown;
}

/** The body of `POST /v1/embeddings`. */
export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  [key: string]: unknown;
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A `chat.completion` response. */
export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: "assistant"; content: string | null; tool_calls?: unknown[] };
    finish_reason?: string | null;
    logprobs?: unknown;
  }>;
  usage?: CompletionUsage;
}

/** One `chat.completion.chunk` of a streamed chat completion. */
export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: string; content?: string | null; tool_calls?: unknown[] };
    finish_reason?: string | null;
    logprobs?: unknown;
  }>;
  usage?: CompletionUsage | null;
}

/** A `text_completion` response, and each chunk of a streamed one. */
export interface Completion {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: Array<{
    index: number;
    text: string;
    finish_reason?: string | null;
    logprobs?: unknown;
  }>;
  usage?: CompletionUsage;
}

/** `GET /v1/models`. */
export interface ModelList {
  object: "list";
  data: Array<{ id: string; object: "model"; created: number; owned_by: string }>;
}

/** `POST /v1/embeddings`. */
export interface EmbeddingResponse {
  object: "list";
  data: Array<{ object: "embedding"; index: number; embedding: number[] }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** The context a route function gets: the job's, with the route input. */
export type OpenAIRouteContext = JobContext<OpenAIJobInput>;

/**
 * What a route function returns: the response object (non-streaming requests), or for
 * `"stream": true` an (async) iterable of chunk objects (framed as `data: …`) and raw SSE strings
 * (written unchanged, e.g. from an upstream server). An `OpenAIErrorBody` fails the request with
 * its message; its `code`, when an HTTP status, becomes the answer's status.
 */
export type OpenAIRouteResult<Response, Chunk> =
  | Response
  | OpenAIErrorBody
  | AsyncIterable<Chunk | string | OpenAIErrorBody>
  | Iterable<Chunk | string | OpenAIErrorBody>
  | Promise<
      | Response
      | OpenAIErrorBody
      | AsyncIterable<Chunk | string | OpenAIErrorBody>
      | Iterable<Chunk | string | OpenAIErrorBody>
    >;

/** One route: `(body, ctx) => response | chunks`. `body` is `undefined` for GET requests. */
export type OpenAIRouteFunction<Body, Response, Chunk> = (
  body: Body,
  ctx: OpenAIRouteContext,
) => OpenAIRouteResult<Response, Chunk>;

/** Any other route, with its body and answer untyped. (Method syntax: any body type fits.) */
type AnyRouteFunction = {
  route(body: OpenAIBody | undefined, ctx: OpenAIRouteContext): unknown;
}["route"];

/**
 * The routes a worker serves, keyed by `openai_route` exactly as the job carries it. The common
 * ones are typed; any other `/v1/…` route (`/v1/responses`, `/v1/messages`, …) may be added.
 */
export interface OpenAIRoutes {
  "/v1/chat/completions"?: OpenAIRouteFunction<
    ChatCompletionRequest,
    ChatCompletion,
    ChatCompletionChunk
  >;
  "/v1/completions"?: OpenAIRouteFunction<CompletionRequest, Completion, Completion>;
  "/v1/models"?: OpenAIRouteFunction<OpenAIBody | undefined, ModelList, never>;
  "/v1/embeddings"?: OpenAIRouteFunction<EmbeddingRequest, EmbeddingResponse, never>;
  [route: `/v1/${string}`]: AnyRouteFunction | undefined;
}

/** Options of `openaiProxy`. */
export interface OpenAIProxyOptions {
  /** The upstream server's root, e.g. `http://127.0.0.1:8000` (vLLM's default port). */
  baseUrl: string;
  /** Extra request headers, e.g. `{ authorization: "Bearer …" }` for an upstream that wants a key. */
  headers?: Record<string, string>;
}
