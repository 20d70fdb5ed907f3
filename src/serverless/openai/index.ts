/**
 * OpenAI-route handlers (spec openai-route.md): `openaiHandler(routes)` and `openaiProxy(options)`
 * build a `serverless.start()` handler. Only the option checks live here; the routing and SSE
 * framing (`handle.ts`) load on the first job, so a worker that does not use them never loads them.
 */
import {
  custom,
  func,
  nonEmptyString,
  object,
  recordOf,
  url,
  validated,
} from "../../core/checks.js";
import type { OpenAIJobInput } from "../../protocol/openai-route.js";
import type { Handler } from "../types.js";
import type { OpenAIProxyOptions, OpenAIRoutes } from "./types.js";

type Implementation = typeof import("./handle.js");
let implementation: Promise<Implementation> | undefined;
const load = () => {
  implementation ??= import("./handle.js");
  return implementation;
};

/** An OpenAI-route handler's result: the response, or the stream of SSE text it is framed into. */
export type OpenAIHandler = Handler<OpenAIJobInput, Promise<unknown>>;

const routesRule = recordOf(func);
const routeNames = custom(
  (routes) => Object.keys(routes as object).every((r) => r.startsWith("/v1/")),
  'route names are the job\'s openai_route, starting with "/v1/" (e.g. "/v1/chat/completions")',
);

/**
 * A handler that answers OpenAI-route jobs (`{openai_route, openai_input}`) with the function of
 * their route. For a request with `"stream": true` the function returns an (async) iterable: chunk
 * objects are framed as `data: <json>\n\n`, strings (raw SSE from an upstream server) are passed
 * through unchanged, and the stream ends with `data: [DONE]\n\n` unless it already did. Otherwise
 * it returns the response object. An unknown route answers 404 ("Invalid route"); a thrown
 * `OpenAIRouteError` answers its status. Start the worker with `returnAggregateStream: true` if
 * `/status` should show a streamed job's text afterwards.
 */
export function openaiHandler(routes: OpenAIRoutes): OpenAIHandler {
  validated(routesRule, routes, "openaiHandler routes");
  validated(routeNames, routes, "openaiHandler routes");
  const table = { ...routes };
  return async (job, ctx) => (await load()).handleRoute(table, job, ctx);
}

const proxyRule = object(
  {
    baseUrl: url(),
    headers: recordOf(nonEmptyString()),
  },
  { required: ["baseUrl"] },
);

/**
 * A handler that forwards every OpenAI-route job to an OpenAI-compatible server in the same
 * container (vLLM, llama.cpp's server, Ollama): GET when the job has no body, else POST of the body
 * to `baseUrl + openai_route`. A streamed answer is relayed as the raw SSE text arrives, unchanged;
 * an upstream error answer fails the job with its message and HTTP status.
 */
export function openaiProxy(options: OpenAIProxyOptions): OpenAIHandler {
  const o = validated<OpenAIProxyOptions>(proxyRule, options, "openaiProxy options");
  const target = { baseUrl: o.baseUrl.replace(/\/+$/, ""), headers: { ...o.headers } };
  return async (job, ctx) => (await load()).proxyRoute(target, job, ctx);
}
