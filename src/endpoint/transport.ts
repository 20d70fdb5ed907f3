import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  type ErrorHeaders,
  errorForStatus,
  InvalidResponseError,
  RequestTimeoutError,
} from "../core/api-errors.js";
import { readSetting, settingEnvVar } from "../core/setting-sources.js";
import { userAgent } from "../core/user-agent.js";
import { isBrowser } from "../internal/runtime.js";
import { MAX_TIMER_MS, type ResolvedOptions } from "./options.js";
import { withRetries } from "./retry-policy.js";

/** One call to the serverless API, relative to `<baseUrl>/<endpointId>`. */
export interface Call {
  method: "GET" | "POST";
  /** E.g. `/run`, `/status/<job id>`. */
  path: string;
  /** Long polls: how long the server may hold the request (sent as `?wait=`), in ms. */
  waitMs?: number;
  /** The JSON body, already serialised (POST only). */
  body?: string;
  /** Safe to send twice (reads); decides the retry policy. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
}

const TIMEOUT = Symbol("request timeout");

/**
 * The HTTP transport of one endpoint: builds requests, applies timeouts and retries, and turns
 * every failure into one of the package's error classes (the one place this happens here).
 */
export class Transport {
  readonly #ua: string | undefined = isBrowser() ? undefined : userAgent();
  /**
   * Set once a server answered 404/405 to `status-sync` for a job that `/status` knows: that server
   * has no long-poll route, so waits poll `/status` from then on.
   */
  statusSyncMissing = false;
  /** `<baseUrl>/<endpointId>`, built once: URLs are plain concatenation on the hot path. */
  readonly #root: string;

  constructor(
    readonly endpointId: string,
    baseUrl: string,
    private readonly explicitKey: string | undefined,
    readonly options: ResolvedOptions,
  ) {
    this.#root = `${baseUrl.replace(/\/+$/, "")}/${endpointId}`;
  }

  /** Sends `call` (with retries) and returns the parsed JSON body of the 2xx response. */
  async send(call: Call): Promise<unknown> {
    const key = this.#apiKey();
    return withRetries(() => this.#once(call, key), this.options, call.idempotent, call.signal);
  }

  #key: string | undefined;

  // Looked up until found, not at construction: an app may set the env var after constructing the
  // endpoint. Then kept, since reading process.env costs a native call per request.
  #apiKey(): string {
    this.#key ??= readSetting("apiKey", this.explicitKey);
    if (this.#key === undefined) {
      throw new AuthenticationError(
        `No Runpod API key: pass the "apiKey" option or set ${settingEnvVar("apiKey")}`,
        { status: undefined },
      );
    }
    return this.#key;
  }

  async #once(call: Call, key: string): Promise<unknown> {
    const path = `/${this.endpointId}${call.path}`;
    const what = `${call.method} ${path}`;
    const url = `${this.#root}${call.path}${call.waitMs === undefined ? "" : `?wait=${call.waitMs}`}`;

    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (this.#ua) headers["user-agent"] = this.#ua;
    if (call.body !== undefined) headers["content-type"] = "application/json";

    const controller = new AbortController();
    const timeoutMs = Math.min(MAX_TIMER_MS, this.options.timeoutMs + (call.waitMs ?? 0));
    const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
    const onAbort = () => controller.abort(call.signal?.reason);
    if (call.signal?.aborted) onAbort();
    call.signal?.addEventListener("abort", onAbort, { once: true });

    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(url, {
        method: call.method,
        headers,
        ...(call.body !== undefined ? { body: call.body } : {}),
        signal: controller.signal,
      });
      // The body is read under the same timeout and signal: a connection dropped mid-body fails here.
      text = await response.text();
    } catch (error) {
      if (controller.signal.reason === TIMEOUT) {
        throw new RequestTimeoutError(`${what} timed out after ${timeoutMs} ms`, error);
      }
      if (call.signal?.aborted) throw new AbortError(`${what} was aborted`, { cause: error });
      throw new ConnectionError(`${what} failed: ${describe(error)}`, error);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onAbort);
    }

    const body = parseBody(text);
    if (response.ok && body.ok) return body.value;
    // Failure paths only: copying the headers costs more than the rest of a successful call.
    const responseHeaders = headersRecord(response.headers);
    const requestId = responseHeaders["x-request-id"];
    if (!response.ok) {
      const detail = excerpt(body.ok ? body.value : text);
      throw errorForStatus(`${what} failed with HTTP ${response.status}${detail}`, {
        status: response.status,
        body: body.ok ? body.value : text,
        headers: responseHeaders,
        requestId,
      });
    }
    throw new InvalidResponseError(`${what} returned a body that is not JSON${excerpt(text)}`, {
      status: response.status,
      body: text,
      headers: responseHeaders,
      requestId,
    });
  }
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function headersRecord(headers: Headers): ErrorHeaders {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** A short view of a body for an error message; bodies can be large. */
function excerpt(body: unknown): string {
  if (body === undefined || body === "") return "";
  const s = typeof body === "string" ? body : JSON.stringify(body);
  return `: ${s.length > 200 ? `${s.slice(0, 200)}…` : s}`;
}

/** Node's fetch hides the reason in `cause` ("fetch failed" → ECONNREFUSED …). */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, i = 0; e instanceof Error && i < 4; e = e.cause, i++) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${e.message} (${code})` : e.message);
  }
  return parts.join(": ") || String(error);
}
