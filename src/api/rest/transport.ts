import openapiFetch, { type Client, type ClientOptions } from "openapi-fetch";
import {
  AbortError,
  ConnectionError,
  type ErrorHeaders,
  InvalidResponseError,
  RateLimitError,
  RequestTimeoutError,
} from "../../core/api-errors.js";
import { RunpodError } from "../../core/errors.js";
import { retryAfterOf } from "../../core/retry-policy.js";
import { userAgent } from "../../core/user-agent.js";
import { isBrowser } from "../../internal/runtime.js";
import type { paths } from "../generated/rest-v2.js";
import { type ApiRetry, withApiRetries } from "../retry.js";
import { restError } from "./problem.js";
import { parseRateLimit, type RateLimitState, rateLimitWaitMs } from "./rate-limit.js";

/**
 * openapi-fetch's CommonJS build sets `exports.default` without `__esModule`, so our CJS build's
 * interop hands us the module object instead of the function: take `.default` then.
 */
const createClient = (
  typeof openapiFetch === "function"
    ? openapiFetch
    : (openapiFetch as unknown as { default: typeof openapiFetch }).default
) as <P extends {}>(options: ClientOptions) => Client<P>;

export interface RestTransportOptions {
  /** The key, resolved once per client and shared with the GraphQL transport. */
  apiKey: () => Promise<string>;
  /** Host without `/v2`; the generated paths start with `/v2/`. */
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  retry: ApiRetry;
}

/** What openapi-fetch resolves with: `data` on 2xx, the parsed `error` body otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Per-call options every resource method accepts. */
export interface CallOptions {
  /** Aborts the call, including any wait between retries. */
  signal?: AbortSignal;
}

/** Status codes whose response carries no body, which `new Response()` refuses to be given. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * REST v2 over openapi-fetch, typed by the generated `paths`. This class adds what the typed
 * client leaves to its user: the Bearer key and User-Agent, a timeout covering the whole body,
 * retries on the package's policy, problem documents mapped to the error tree, and the rate-limit
 * headers of every response (`rateLimit`).
 */
export class RestTransport {
  readonly client: Client<paths>;
  readonly #options: RestTransportOptions;
  #rateLimit: RateLimitState | undefined;

  constructor(options: RestTransportOptions) {
    this.#options = options;
    this.client = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      fetch: (request: Request) => this.#send(request),
      // The document's list parameters are `style: form, explode: false`: `include=A,B`.
      querySerializer: { array: { style: "form", explode: false } },
    });
  }

  /** The limits the last response reported; `undefined` before one arrived with them. */
  get rateLimit(): RateLimitState | undefined {
    return this.#rateLimit;
  }

  /** How calls (and log streams) retry. */
  get retry(): ApiRetry {
    return this.#options.retry;
  }

  /** The host requests go to (without `/v2`). */
  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /**
   * Runs one typed request (`send` calls `this.client`), retried when `idempotent` allows, and
   * returns its 2xx body; any other status becomes an `APIError` subclass.
   */
  async call<T>(
    what: string,
    idempotent: boolean,
    send: (client: Client<paths>, signal: AbortSignal | undefined) => Promise<FetchResult<T>>,
    options: CallOptions = {},
  ): Promise<T> {
    const { signal } = options;
    return withApiRetries(
      async () => {
        let result: FetchResult<T>;
        try {
          result = await send(this.client, signal);
        } catch (error) {
          if (error instanceof RunpodError) throw error;
          // openapi-fetch parses a 2xx body as JSON itself: anything else is the server's fault.
          throw new InvalidResponseError(
            `The Runpod API answered ${what} with a body that is not JSON`,
            {
              status: undefined,
              cause: error,
            },
          );
        }
        const { response } = result;
        if (response.ok) return result.data as T;
        throw restError(what, response.status, plainHeaders(response.headers), result.error);
      },
      this.#options.retry,
      {
        idempotent,
        what,
        signal,
        waitFor: (error) =>
          error instanceof RateLimitError ? rateLimitWaitMs(error.headers) : retryAfterOf(error),
      },
    );
  }

  /**
   * Opens a streaming response (Server-Sent Events): the timeout covers only the wait for the
   * headers, and a non-2xx answer becomes the same errors as `call`. Not retried here: the log
   * stream resumes on its own, with `Last-Event-ID`.
   */
  async stream(
    what: string,
    send: (client: Client<paths>, signal: AbortSignal) => Promise<FetchResult<unknown>>,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    let result: FetchResult<unknown>;
    try {
      result = await send(this.client, signal);
    } catch (error) {
      if (error instanceof RunpodError) throw error;
      throw new InvalidResponseError(`The Runpod API answered ${what} with an unreadable body`, {
        status: undefined,
        cause: error,
      });
    }
    const { response } = result;
    if (!response.ok) {
      throw restError(what, response.status, plainHeaders(response.headers), result.error);
    }
    if (!result.data) {
      throw new InvalidResponseError(`The Runpod API answered ${what} without a body`, {
        status: response.status,
      });
    }
    return result.data as ReadableStream<Uint8Array>;
  }

  /** One HTTP exchange. Event streams are handed on as they arrive; other bodies are read here. */
  async #send(request: Request): Promise<Response> {
    const key = await this.#options.apiKey();
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${key}`);
    if (!isBrowser()) headers.set("user-agent", userAgent());
    const streaming = headers.get("accept") === "text/event-stream";
    const caller = request.signal;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    caller.addEventListener("abort", onAbort, { once: true });
    const { timeoutMs } = this.#options;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const what = `${request.method} ${new URL(request.url).pathname}`;
    const body = request.body === null ? undefined : await request.arrayBuffer();
    try {
      if (caller.aborted) throw new AbortError("The request was aborted");
      const res = await this.#options.fetch(request.url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
        redirect: "follow",
      });
      const state = parseRateLimit(plainHeaders(res.headers));
      if (state) this.#rateLimit = state;
      if (streaming && res.ok) {
        // The stream outlives this call: only the caller's signal ends it from now on.
        clearTimeout(timer);
        return res;
      }
      const text = NULL_BODY.has(res.status) ? null : await res.text();
      return new Response(text, { status: res.status, headers: res.headers });
    } catch (error) {
      if (error instanceof RunpodError) throw error;
      if (caller.aborted) throw new AbortError("The request was aborted", { cause: error });
      if (controller.signal.aborted) {
        throw new RequestTimeoutError(
          `The Runpod API did not answer ${what} within ${timeoutMs} ms`,
          error,
        );
      }
      throw new ConnectionError(
        `Could not reach the Runpod API for ${what}: ${(error as Error).message}`,
        error,
      );
    } finally {
      clearTimeout(timer);
      if (!streaming) caller.removeEventListener("abort", onAbort);
    }
  }
}

export function plainHeaders(headers: Headers): ErrorHeaders {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}
