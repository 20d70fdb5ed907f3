import {
  abortSignal,
  custom,
  func,
  integer,
  nonEmptyString,
  object,
  type Rule,
  url,
} from "../core/checks.js";
import { AFFINITY_MODES, type WorkerAffinity } from "../protocol/load-balancing.js";
import { type FetchLike, MAX_TIMER_MS } from "./options.js";

/** Options of `new LoadBalancerEndpoint(id, options)`. */
export interface LoadBalancerEndpointOptions {
  /**
   * Runpod API key, sent as `Authorization: Bearer <key>`. Checked at the first call, not here.
   * @default the `RUNPOD_API_KEY` environment variable
   */
  apiKey?: string;
  /**
   * The endpoint's base URL; request paths are appended to it as they are.
   * @default `https://<id>.<host of RUNPOD_ENDPOINT_BASE_URL>`, i.e. `https://<id>.api.runpod.ai`
   */
  baseUrl?: string;
  /**
   * The `fetch` to use: a wrapper for tracing, a proxy-aware fetch, a test double.
   * @default globalThis.fetch (looked up at each call, so late polyfills work)
   */
  fetch?: FetchLike;
  /**
   * Limit until the response headers arrive, in ms (a streamed body may take longer). Exceeding it
   * is a `RequestTimeoutError`.
   * @default 450_000 (the platform's 2 min wait for a worker plus its 5.5 min processing timeout)
   */
  timeoutMs?: number;
  /**
   * How many times a request the platform did not run is sent again: a "no workers available"
   * answer, or a refused connection. Nothing else is retried, whatever the method.
   * @default 2
   */
  maxRetries?: number;
  /** Ceiling of the first retry delay, in ms (full jitter, doubling). @default 5_000 */
  retryDelayMs?: number;
  /** Upper bound of one retry delay, in ms. @default 10_000 */
  maxRetryDelayMs?: number;
  /** The path `health()` asks (the worker's `HEALTH_CHECK_PATH`). @default "/ping" */
  healthPath?: string;
}

/** Options of one `lb.fetch(path, init)`. */
export interface LoadBalancerRequestInit {
  /** @default "GET" */
  method?: string;
  /** Any fetch body. A `ReadableStream` body is sent once and never retried. */
  body?: BodyInit | null;
  headers?: HeadersInit;
  /** Aborts the request, and the response body while it streams. */
  signal?: AbortSignal;
  /** Pin the request to a worker (`X-Runpod-Worker-Id`, spec §5). */
  worker?: WorkerAffinity;
}

/** What `lb.health()` learned from the health path. */
export interface LoadBalancerHealth {
  /** 200 ready, 204 initializing, anything else unhealthy (spec §2.2). */
  state: "ready" | "initializing" | "unhealthy";
  /** The HTTP status the worker answered. */
  status: number;
  /** The worker that answered, from `X-Runpod-Worker-Id`. */
  workerId: string | undefined;
}

export const lbOptionsRule = object({
  apiKey: nonEmptyString(),
  baseUrl: url(),
  fetch: func,
  timeoutMs: integer(1, MAX_TIMER_MS),
  maxRetries: integer(0, 10),
  retryDelayMs: integer(0),
  maxRetryDelayMs: integer(0),
  healthPath: nonEmptyString(/^\/[^?#\s]*$/, 'must be a path starting with "/"'),
} satisfies Record<keyof LoadBalancerEndpointOptions, Rule>);

/** Request paths are appended to the base URL: an absolute path, no fragment, no whitespace. */
export const pathRule = nonEmptyString(
  /^\/[^#\s]*$/,
  'must start with "/" and hold no "#" or whitespace',
);

const isObject = (v: unknown) => typeof v === "object" && v !== null;

export const requestInitRule = object({
  method: nonEmptyString(/^[!#$%&'*+.^_`|~\w-]+$/, "must be an HTTP method token"),
  // Any body fetch takes; fetch itself rejects what it cannot send.
  body: custom(() => true, ""),
  headers: custom(isObject, "must be a Headers, an array of pairs or a record"),
  signal: abortSignal,
  worker: object(
    {
      id: nonEmptyString(/^\S+$/, "must not contain whitespace"),
      affinity: custom(
        (v) => (AFFINITY_MODES as readonly unknown[]).includes(v),
        `must be one of ${AFFINITY_MODES.map((m) => `"${m}"`).join(", ")}`,
      ),
    },
    { required: ["id"] },
  ),
} satisfies Record<keyof LoadBalancerRequestInit, Rule>);
