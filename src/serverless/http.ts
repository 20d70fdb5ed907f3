/**
 * The worker's HTTP client for job-take, job-done, job-stream and job-stop: one undici keep-alive
 * agent, the Python worker's default headers (§A.2), and failures mapped to the package's errors.
 * The API key goes only into the `Authorization` header, never into a message. Requests go through
 * `Agent.dispatch` (see src/internal/undici-dispatch.ts for why), except the first job-take of a
 * production worker, which goes over a connection opened ahead (early-connection.ts).
 */
import { AbortError, ConnectionError, RequestTimeoutError } from "../core/api-errors.js";
import type { PacedDispatcher } from "../internal/paced-dispatcher.js";
import { createAgent } from "../internal/undici-agent.js";
import { dispatchText, firstValue, splitUrl } from "../internal/undici-dispatch.js";
import type { WorkerLink } from "../protocol/worker-link.js";
import { EarlyConnection } from "./early-connection.js";
import { type AbortLike, JobAbort } from "./job-abort.js";

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
  /** Called once the request is on its way (handed to undici, or to the in-process platform). */
  onSent?: (() => void) | undefined;
}

type Headers = Record<string, string>;

/**
 * Sockets that may be connecting or not yet answered on at once: below the accept queue of
 * Python's socketserver (backlog 5), so the worker's own connects never overflow it.
 */
const NEW_SOCKETS = 4;

/**
 * How the worker reaches the platform: over HTTP with at most `sockets` sockets, or through the
 * in-process link of a local platform in this process (`--rp_serve_api`): the same requests and
 * answers as data, taking the platform's own operations and checks, without sockets, HTTP parsing
 * or a `Request`/`Response` per call (src/protocol/worker-link.ts).
 */
export type PlatformRoute = { sockets: number } | { link: WorkerLink };

/**
 * Whether `node:http` is Node's own. Bun and Deno implement it over their own clients, where a
 * given connection (`createConnection`) and an exact header order are not to be relied on: there
 * undici serves the first take too.
 */
const nodeHttp = !process.versions.bun && !("Deno" in globalThis);

/** Worker-side HTTP. `what` in errors names the operation ("job-take", "job-done for J"…). */
export class WorkerHttp {
  /** Made on the first request: undici is loaded then (see undici-agent.ts). */
  private agent: PacedDispatcher | undefined;
  private agentReady: Promise<PacedDispatcher> | undefined;
  /** A connection opened ahead for the first request (see `preconnect`), until it is used. */
  private early: EarlyConnection | undefined;
  private readonly baseHeaders: Headers;
  private readonly getHeaders: Headers;

  /**
   * @param route `sockets`: most sockets to the platform, one per job slot for results (so a
   * burst of results queues on open sockets instead of opening new ones) plus job-take and
   * job-stop; or `link`: a platform in this process.
   */
  constructor(
    apiKey: string,
    userAgent: string,
    private readonly route: PlatformRoute,
  ) {
    this.baseHeaders = { Authorization: apiKey, "User-Agent": userAgent };
    // The session headers of §A.2: Python sends a JSON Content-Type even on body-less GETs.
    this.getHeaders = { ...this.baseHeaders, "Content-Type": "application/json" };
  }

  get(url: string, what: string, options: RequestOptions): Promise<HttpResponse> {
    if ("link" in this.route) return this.sendLinked(url, what, "GET", undefined, options);
    return this.send(url, what, "GET", this.getHeaders, undefined, options);
  }

  post(
    url: string,
    what: string,
    headers: Headers,
    body: Uint8Array,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    if ("link" in this.route) return this.sendLinked(url, what, "POST", body, options);
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
    const early = this.early;
    if (early?.fits(url, method)) {
      this.early = undefined;
      return early
        .get(splitUrl(url).path, {
          headers,
          timeoutMs,
          signal,
          abortReason: () => new AbortError(`${what} aborted`),
          onSent: () => {
            // undici loads while this request travels, for the requests after it.
            this.loadAgent();
            options.onSent?.();
          },
        })
        .catch((error: Error) => {
          this.loadAgent();
          throw failure(error, what, timeoutMs, signal);
        });
    }
    const agent = this.agent;
    if (!agent) {
      return this.ready().then(() => this.send(url, what, method, headers, body, options));
    }
    return dispatchText(agent, {
      url,
      method,
      headers,
      body,
      signal,
      abortReason: () => new AbortError(`${what} aborted`),
      headersTimeoutMs: timeoutMs,
      bodyTimeoutMs: timeoutMs,
      onDispatched: options.onSent,
    }).then(
      (res) => ({
        status: res.status,
        contentType: firstValue(res.headers["content-type"]),
        retryAfter: firstValue(res.headers["retry-after"]),
        text: res.text,
      }),
      (error: Error) => {
        throw failure(error, what, timeoutMs, signal);
      },
    );
  }

  /**
   * Through the in-process link. Only the key matters to the platform's worker operations; the
   * other headers are for HTTP. A held long poll is released by the caller's abort or the timeout,
   * as a hang-up releases it over HTTP, and then fails as it would have.
   */
  private async sendLinked(
    url: string,
    what: string,
    method: "GET" | "POST",
    body: Uint8Array | undefined,
    { signal, timeoutMs, onSent }: RequestOptions,
  ): Promise<HttpResponse> {
    const link = (this.route as { link: WorkerLink }).link;
    if (signal?.aborted) throw new AbortError(`${what} aborted`);
    const hangup = new JobAbort();
    const abort = () => hangup.abort(new AbortError(`${what} aborted`));
    const timer = setTimeout(
      () => hangup.abort(new RequestTimeoutError(`${what}: no response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener("abort", abort, { once: true });
    try {
      const answering = link({
        method,
        url,
        authorization: this.baseHeaders.Authorization,
        body,
        signal: hangup,
      });
      onSent?.();
      const answer = await answering;
      // A held poll the abort released still answers (204); over HTTP the request would have failed.
      if (hangup.aborted) throw hangup.reason;
      return {
        status: answer.status,
        contentType: answer.contentType,
        retryAfter: answer.retryAfter,
        text: answer.text,
      };
    } catch (error) {
      if (hangup.aborted) throw hangup.reason;
      throw new ConnectionError(`${what}: ${(error as Error)?.message ?? String(error)}`, error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    }
  }

  /**
   * Opens a connection to `url`'s origin now, for the first GET to it (the first job-take): the
   * production worker calls this before its fitness checks, whose waits (a spawned `nvidia-smi`,
   * file reads, a connect) then overlap the connect and TLS handshake, and the take goes out
   * without waiting for undici (see early-connection.ts). If that connection closes unused,
   * undici loads at once instead. Nothing to open for the in-process link.
   */
  preconnect(url: string): void {
    if ("sockets" in this.route && !this.early && !this.agentReady && nodeHttp)
      this.early = new EarlyConnection(url, () => {
        if (this.early) {
          this.early = undefined;
          this.loadAgent();
        }
      });
  }

  /** Starts loading undici, for requests that cannot use the early connection. */
  private loadAgent(): void {
    this.ready().catch(() => {
      // The first request that needs it reports it.
    });
  }

  private ready(): Promise<PacedDispatcher> {
    const sockets = "sockets" in this.route ? this.route.sockets : null;
    this.agentReady ??= createAgent({ connections: sockets, newSockets: NEW_SOCKETS }).then(
      (agent) => {
        this.agent = agent;
        return agent;
      },
    );
    return this.agentReady;
  }

  /** Drops open connections at once (a held long poll would otherwise delay exit). */
  async destroy(): Promise<void> {
    const early = this.early;
    this.early = undefined;
    early?.close();
    if (!this.agentReady) return;
    await (await this.agentReady).destroy();
  }
}

/**
 * One of our errors for a failed request. Only a response that did not come in time is a timeout:
 * a connection that could not be opened in time is a connection failure, so the fetch loop logs
 * it and backs off instead of treating it as an ended long poll and asking again in silence.
 */
export function failure(
  error: Error,
  what: string,
  timeoutMs: number,
  signal: AbortLike | undefined,
): Error {
  if (error instanceof AbortError) return error;
  if (signal?.aborted) return new AbortError(`${what} aborted`, { cause: error });
  const code = (error as { code?: string }).code ?? "";
  if (code === "UND_ERR_CONNECT_TIMEOUT") {
    return new ConnectionError(`${what}: ${error.message || "connect timed out"}`, error);
  }
  if (code.includes("TIMEOUT")) {
    return new RequestTimeoutError(`${what}: no response within ${timeoutMs} ms`, error);
  }
  return new ConnectionError(`${what}: ${error.message || code}`, error);
}
