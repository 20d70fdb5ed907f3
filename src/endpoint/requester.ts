/**
 * How the endpoint client sends one HTTP request. Universal builds send through `fetch` (the
 * user's, or the global one); the Node build (`node.ts`, chosen by the package's `node` export
 * condition) sends through undici, which is several times faster than Node's `fetch` for the
 * small JSON exchanges of the serverless API (`npm run bench:endpoint`).
 */
import { AbortError, ConnectionError, RequestTimeoutError } from "../core/api-errors.js";
import type { FetchLike } from "./options.js";

export interface WireRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Limit of the whole exchange, body included. */
  timeoutMs: number;
  /** Names the request in error messages, e.g. `POST /ep/run`. */
  what: string;
}

export interface WireResponse {
  status: number;
  ok: boolean;
  text: string;
  /** The response headers with lower-cased names; made on demand (failure paths only). */
  headers(): Record<string, string>;
}

/**
 * Sends one request and reads the whole answer. Fails only with `RequestTimeoutError` (the limit
 * ran out), `AbortError` (the caller's signal) or `ConnectionError` (no complete answer).
 */
export type Requester = (request: WireRequest) => Promise<WireResponse>;

const TIMEOUT = Symbol("request timeout");

/** A request's own abort signal: it fires on the caller's signal and when `timeoutMs` runs out. */
export interface TimedSignal {
  signal: AbortSignal;
  /** Throws `error` (from fetch or a body read) as `RequestTimeoutError`, `AbortError` or `ConnectionError`. */
  fail(error: unknown): never;
  /** Stops the timer; with `release`, also stops following the caller's signal. */
  done(release: boolean): void;
}

export function timedSignal(
  parent: AbortSignal | undefined,
  timeoutMs: number,
  what: string,
): TimedSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  parent?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    fail(error) {
      if (controller.signal.reason === TIMEOUT) {
        throw new RequestTimeoutError(`${what} timed out after ${timeoutMs} ms`, error);
      }
      if (parent?.aborted) throw new AbortError(`${what} was aborted`, { cause: error });
      throw new ConnectionError(`${what} failed: ${describe(error)}`, error);
    },
    done(release) {
      clearTimeout(timer);
      if (release) parent?.removeEventListener("abort", onAbort);
    },
  };
}

/** A requester over `fetch`. */
export function fetchRequester(fetch: FetchLike): Requester {
  return async (request) => {
    const timed = timedSignal(request.signal, request.timeoutMs, request.what);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: timed.signal,
      });
      // The body is read under the same timeout and signal: a connection dropped mid-body fails here.
      const text = await response.text();
      return {
        status: response.status,
        ok: response.ok,
        text,
        headers: () => headersRecord(response.headers),
      };
    } catch (error) {
      return timed.fail(error);
    } finally {
      timed.done(true);
    }
  };
}

/** The global `fetch`, looked up at each call so late polyfills work. */
export const globalFetch: FetchLike = (url, init) => globalThis.fetch(url, init);

export function headersRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** Node's fetch hides the reason in `cause` ("fetch failed" → ECONNREFUSED …). */
export function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, i = 0; e instanceof Error && i < 4; e = e.cause, i++) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${e.message} (${code})` : e.message);
  }
  return parts.join(": ") || String(error);
}
