import {
  abortSignal,
  boolean,
  func,
  integer,
  nonEmptyString,
  object,
  type Rule,
  string,
  url,
} from "../core/checks.js";
import {
  EXECUTION_TIMEOUT_MAX_MS,
  EXECUTION_TIMEOUT_MIN_MS,
  SYNC_WAIT_DEFAULT_MS,
  SYNC_WAIT_MAX_MS,
  SYNC_WAIT_MIN_MS,
  TTL_MAX_MS,
  TTL_MIN_MS,
  WEBHOOK_PROTOCOL,
} from "../protocol/limits.js";
import type { JobPolicy, RunOptions } from "../protocol/run-request.js";

/** The subset of `fetch` the client calls; `globalThis.fetch` and most wrappers fit. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of `new Endpoint(id, options)` and `Endpoint.job(endpointId, jobId, options)`. */
export interface EndpointOptions {
  /**
   * Runpod API key, sent as `Authorization: Bearer <key>`. Checked at the first call, not here.
   * @default the `RUNPOD_API_KEY` environment variable
   */
  apiKey?: string;
  /**
   * Base URL of the serverless API (the endpoint id is appended to it).
   * @default the `RUNPOD_ENDPOINT_BASE_URL` environment variable, else `"https://api.runpod.ai/v2"`
   */
  baseUrl?: string;
  /**
   * The `fetch` to use: a wrapper for tracing, a proxy-aware fetch, a test double.
   * @default on Node, undici (the package's dependency, several times faster than Node's `fetch`);
   * elsewhere `globalThis.fetch`, looked up at each call so late polyfills work
   */
  fetch?: FetchLike;
  /**
   * Limit of one HTTP request, in ms (a long poll gets its `wait` on top). Exceeding it is a
   * `RequestTimeoutError`.
   * @default 30_000
   */
  timeoutMs?: number;
  /**
   * How many times a failed request is retried (see README: reads on network errors, 408, 429, 5xx;
   * submissions only when the connection was refused).
   * @default 2
   */
  maxRetries?: number;
  /** Delay before the first retry, in ms; doubles with jitter on each retry. @default 500 */
  retryDelayMs?: number;
  /** Upper bound of one retry delay, in ms. @default 8_000 */
  maxRetryDelayMs?: number;
  /**
   * First delay between two polls that brought nothing new (`/stream`, or `/status` when the
   * server has no `status-sync`), in ms; doubles up to `maxPollIntervalMs`.
   * @default 250
   */
  pollIntervalMs?: number;
  /** Upper bound of the polling delay, in ms. @default 2_000 */
  maxPollIntervalMs?: number;
  /**
   * How long the server may hold one long poll (`runsync?wait`, `status-sync?wait`), in ms. The
   * platform accepts 1 000 to 300 000.
   * @default 90_000
   */
  longPollMs?: number;
}

/** The options with every default filled in (the key and base URL are resolved separately). */
export interface ResolvedOptions {
  /** The user's `fetch`; without one the endpoint's default requester is used. */
  fetch: FetchLike | undefined;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  longPollMs: number;
}

/** setTimeout fires at once for a delay above 2^31 - 1 ms (~24.8 days), so that is the limit. */
export const MAX_TIMER_MS = 2_147_483_647;
const positiveMs = integer(1, MAX_TIMER_MS);

/** Endpoint ids go into the URL path as they are. */
export const endpointIdRule = nonEmptyString(
  /^[^/?#\s]+$/,
  "must not contain '/', '?', '#' or spaces",
);

/** Job ids are opaque; they are percent-encoded into one path segment. */
export const jobIdRule = nonEmptyString();

export const endpointOptionsRule = object({
  apiKey: nonEmptyString(),
  baseUrl: url(),
  fetch: func,
  timeoutMs: positiveMs,
  maxRetries: integer(0, 10),
  retryDelayMs: integer(0),
  maxRetryDelayMs: integer(0),
  pollIntervalMs: positiveMs,
  maxPollIntervalMs: positiveMs,
  longPollMs: integer(SYNC_WAIT_MIN_MS, SYNC_WAIT_MAX_MS),
} satisfies Record<keyof EndpointOptions, Rule>);

export function resolveOptions(o: EndpointOptions): ResolvedOptions {
  return {
    fetch: o.fetch,
    timeoutMs: o.timeoutMs ?? 30_000,
    maxRetries: o.maxRetries ?? 2,
    retryDelayMs: o.retryDelayMs ?? 500,
    maxRetryDelayMs: o.maxRetryDelayMs ?? 8_000,
    pollIntervalMs: o.pollIntervalMs ?? 250,
    maxPollIntervalMs: o.maxPollIntervalMs ?? 2_000,
    longPollMs: o.longPollMs ?? SYNC_WAIT_DEFAULT_MS,
  };
}

/** Options of one call that can be aborted. */
export interface SignalOptions {
  /** Aborting it stops the call with an `AbortError`. */
  signal?: AbortSignal;
}

/** Options of `endpoint.run()`: the submission fields besides `input` (webhook, policy, s3Config). */
export interface RunCallOptions extends RunOptions, SignalOptions {}

/** Options of a wait for a job's result (`job.output()`, `endpoint.runSync()`). */
export interface WaitOptions extends SignalOptions {
  /**
   * Bound of the whole wait, in ms; when it runs out a `WaitTimeoutError` carrying the job id is
   * thrown. `runSync` asks the server to hold its first request for at least 1 s.
   * @default no bound (the job's own execution timeout and TTL still apply)
   */
  timeoutMs?: number;
  /** Cancel the job when `timeoutMs` runs out. @default false */
  cancelOnTimeout?: boolean;
}

export type RunSyncOptions = RunCallOptions & WaitOptions;

export const signalOptionsRule = object({ signal: abortSignal });

// The protocol's run options (§B.2), checked against the same limits as its zod schema.
const runShape = {
  webhook: url(WEBHOOK_PROTOCOL),
  policy: object({
    executionTimeout: integer(EXECUTION_TIMEOUT_MIN_MS, EXECUTION_TIMEOUT_MAX_MS),
    lowPriority: boolean,
    ttl: integer(TTL_MIN_MS, TTL_MAX_MS),
  } satisfies Record<keyof JobPolicy, Rule>),
  s3Config: object(
    {
      accessId: string,
      accessSecret: string,
      bucketName: string,
      endpointUrl: string,
      objectPath: string,
    },
    { required: ["accessId", "accessSecret", "bucketName", "endpointUrl"], loose: true },
  ),
} satisfies Record<keyof RunOptions, Rule>;

const waitShape = {
  signal: abortSignal,
  timeoutMs: positiveMs,
  cancelOnTimeout: boolean,
} satisfies Record<keyof WaitOptions, Rule>;

export const runCallOptionsRule = object({ ...runShape, signal: abortSignal });
export const waitOptionsRule = object(waitShape);
export const runSyncOptionsRule = object({ ...runShape, ...waitShape });
