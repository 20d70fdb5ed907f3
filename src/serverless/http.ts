/**
 * The worker's HTTP client for job-take, job-done, job-stream and job-stop: one undici keep-alive
 * agent, the Python worker's default headers (§A.2), and failures mapped to the package's errors.
 * The API key goes only into the `Authorization` header, never into a message.
 *
 * Requests go through `Agent.dispatch` with a small handler rather than undici's `request()`: the
 * worker reads every answer whole and needs two headers of it, and `request()` spends more CPU per
 * call on a body stream, a header object and URL parsing than the rest of a job's bookkeeping
 * (measured with `npm run bench:worker`; a burst of results is handled one after another on the
 * event loop, so that CPU shows up directly as latency).
 */
import type { Agent, Dispatcher } from "undici";
import { AbortError, ConnectionError, RequestTimeoutError } from "../core/api-errors.js";
import type { AbortLike } from "./job-abort.js";
import { loadAgentClass } from "./undici-agent.js";

export interface HttpResponse {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  text: string;
}

export interface RequestOptions {
  signal?: AbortLike | undefined;
  /** Time allowed for the response headers (long polls need more). */
  timeoutMs: number;
}

type Headers = Record<string, string>;

/** `origin` and `path` of an absolute http(s) URL, by string slicing (it was built by us). */
export function splitUrl(url: string): { origin: string; path: string } {
  const scheme = url.indexOf("://");
  const slash = scheme < 0 ? -1 : url.indexOf("/", scheme + 3);
  const query = slash < 0 ? url.indexOf("?", scheme + 3) : -1;
  const end = slash >= 0 ? slash : query >= 0 ? query : url.length;
  const rest = url.slice(end);
  return { origin: url.slice(0, end), path: rest.startsWith("/") ? rest : `/${rest}` };
}

const BOM = "\uFEFF";

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Worker-side HTTP. `what` in errors names the operation ("job-take", "job-done for J"…). */
export class WorkerHttp {
  /** Made on the first request: undici is loaded then (see undici-agent.ts). */
  private agent: Agent | undefined;
  private agentReady: Promise<Agent> | undefined;
  private readonly baseHeaders: Headers;
  private readonly getHeaders: Headers;

  constructor(apiKey: string, userAgent: string) {
    this.baseHeaders = { Authorization: apiKey, "User-Agent": userAgent };
    // The session headers of §A.2: Python sends a JSON Content-Type even on body-less GETs.
    this.getHeaders = { ...this.baseHeaders, "Content-Type": "application/json" };
  }

  get(url: string, what: string, options: RequestOptions): Promise<HttpResponse> {
    return this.send(url, what, "GET", this.getHeaders, undefined, options);
  }

  post(
    url: string,
    what: string,
    headers: Headers,
    body: Uint8Array,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    return this.send(url, what, "POST", { ...this.baseHeaders, ...headers }, body, options);
  }

  private send(
    url: string,
    what: string,
    method: "GET" | "POST",
    headers: Headers,
    body: Uint8Array | undefined,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(new AbortError(`${what} aborted`));
    const agent = this.agent;
    if (!agent) {
      return this.ready().then(() => this.send(url, what, method, headers, body, options));
    }
    return new Promise((resolve, reject) => {
      const { origin, path } = splitUrl(url);
      let controller: Dispatcher.DispatchController | undefined;
      let status = 0;
      let contentType: string | undefined;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      const onAbort = () => controller?.abort(new AbortError(`${what} aborted`));
      const settle = () => signal?.removeEventListener("abort", onAbort);
      signal?.addEventListener("abort", onAbort, { once: true });
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          // Aborted while the request waited for a connection.
          if (signal?.aborted) c.abort(new AbortError(`${what} aborted`));
        },
        onResponseStart(_c, statusCode, resHeaders) {
          status = statusCode;
          contentType = firstValue(resHeaders["content-type"]);
          retryAfter = firstValue(resHeaders["retry-after"]);
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle();
          let text =
            chunks.length === 1
              ? (chunks[0] as Buffer).toString()
              : Buffer.concat(chunks).toString();
          if (text.startsWith(BOM)) text = text.slice(1);
          resolve({ status, contentType, retryAfter, text });
        },
        onResponseError(_c, error) {
          settle();
          reject(failure(error, what, timeoutMs, signal));
        },
      };
      agent.dispatch(
        { origin, path, method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        handler,
      );
    });
  }

  private ready(): Promise<Agent> {
    this.agentReady ??= loadAgentClass().then(({ Agent }) => {
      this.agent = new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connections: null,
      });
      return this.agent;
    });
    return this.agentReady;
  }

  /** Drops open connections at once (a held long poll would otherwise delay exit). */
  async destroy(): Promise<void> {
    if (!this.agentReady) return;
    await (await this.agentReady).destroy();
  }
}

function failure(
  error: Error,
  what: string,
  timeoutMs: number,
  signal: AbortLike | undefined,
): Error {
  if (error instanceof AbortError) return error;
  if (signal?.aborted) return new AbortError(`${what} aborted`, { cause: error });
  const code = (error as { code?: string }).code ?? "";
  if (code.includes("TIMEOUT")) {
    return new RequestTimeoutError(`${what}: no response within ${timeoutMs} ms`, error);
  }
  return new ConnectionError(`${what}: ${error.message || code}`, error);
}
