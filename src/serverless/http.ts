/**
 * The worker's HTTP client for job-take, job-done, job-stream and job-stop: one undici keep-alive
 * agent, the Python worker's default headers (§A.2), and failures mapped to the package's errors.
 * The API key goes only into the `Authorization` header, never into a message.
 */
import { Agent, request } from "undici";
import { AbortError, ConnectionError, RequestTimeoutError } from "../core/api-errors.js";

export interface HttpResponse {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  text: string;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Time allowed for the response headers (long polls need more). */
  timeoutMs: number;
}

/** Worker-side HTTP. `what` in errors names the operation ("job-take", "job-done for J"…). */
export class WorkerHttp {
  private readonly agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: null,
  });
  private readonly baseHeaders: Record<string, string>;
  private readonly getHeaders: Record<string, string>;

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
    headers: Record<string, string>,
    body: Uint8Array,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    return this.send(url, what, "POST", { ...this.baseHeaders, ...headers }, body, options);
  }

  private async send(
    url: string,
    what: string,
    method: "GET" | "POST",
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    try {
      const res = await request(url, {
        method,
        headers,
        body,
        dispatcher: this.agent,
        signal: options.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const text = await res.body.text();
      const header = (name: string) => {
        const v = res.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      return {
        status: res.statusCode,
        contentType: header("content-type"),
        retryAfter: header("retry-after"),
        text,
      };
    } catch (error) {
      if (options.signal?.aborted) throw new AbortError(`${what} aborted`, { cause: error });
      const code = (error as { code?: string }).code ?? "";
      if (code.includes("TIMEOUT")) {
        throw new RequestTimeoutError(`${what}: no response within ${options.timeoutMs} ms`, error);
      }
      throw new ConnectionError(`${what}: ${(error as Error).message || code}`, error);
    }
  }

  /** Drops open connections at once (a held long poll would otherwise delay exit). */
  destroy(): Promise<void> {
    return this.agent.destroy();
  }
}
