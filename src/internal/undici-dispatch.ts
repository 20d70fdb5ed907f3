/**
 * One HTTP exchange through undici's `Agent.dispatch`, with the whole answer read as text: the
 * Node-only fast path shared by the worker (job-take, job-done, …) and the endpoint client's Node
 * transport. Both read every answer whole and need a header or two of it, and undici's `request()`
 * spends more CPU per call on a body stream, a header object and URL parsing than the callers'
 * own bookkeeping (measured with `npm run bench:worker` and `npm run bench:endpoint`).
 *
 * Errors are undici's own (or the `abortReason` given); callers map them to the package's errors
 * with their own wording.
 */
import type { Dispatcher } from "undici";
import type { AbortLike } from "./abort-like.js";
import type { Dispatch } from "./paced-dispatcher.js";

export interface DispatchRequest {
  /** An absolute http(s) URL built by the caller. */
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
  /** Aborting it fails the exchange with `abortReason()`. */
  signal?: AbortLike | undefined;
  abortReason: () => Error;
  /** undici's idle limits: time to the response headers, and between two body chunks. */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Called once the request is handed to undici (queued on a socket or being connected). */
  onDispatched?: (() => void) | undefined;
}

export interface DispatchResponse {
  status: number;
  /** The response headers as undici reports them (lower-cased names). */
  headers: Record<string, string | string[] | undefined>;
  /** The body as UTF-8 text, without a leading byte-order mark. */
  text: string;
}

const BOM = "\uFEFF";

/** `origin` and `path` of an absolute http(s) URL, by string slicing (it was built by us). */
export function splitUrl(url: string): { origin: string; path: string } {
  const scheme = url.indexOf("://");
  const slash = scheme < 0 ? -1 : url.indexOf("/", scheme + 3);
  const query = slash < 0 ? url.indexOf("?", scheme + 3) : -1;
  const end = slash >= 0 ? slash : query >= 0 ? query : url.length;
  const rest = url.slice(end);
  return { origin: url.slice(0, end), path: rest.startsWith("/") ? rest : `/${rest}` };
}

/** The first value of a header that may repeat. */
export function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function dispatchText(agent: Dispatch, request: DispatchRequest): Promise<DispatchResponse> {
  const { signal, abortReason } = request;
  if (signal?.aborted) return Promise.reject(abortReason());
  return new Promise((resolve, reject) => {
    const { origin, path } = splitUrl(request.url);
    agent.dispatch(
      {
        origin,
        path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.headersTimeoutMs,
        bodyTimeout: request.bodyTimeoutMs,
      },
      new TextHandler(signal, abortReason, resolve, reject),
    );
    request.onDispatched?.();
  });
}

/**
 * undici's handler for one exchange. A class rather than an object literal of closures: two
 * closures per request instead of seven, 2–4 % fewer µs of CPU per endpoint cycle at
 * concurrency 16 (paired, same process).
 */
class TextHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #status = 0;
  #headers: DispatchResponse["headers"] = {};
  #chunks: Buffer[] = [];
  readonly #onAbort = () => this.#controller?.abort(this.abortReason());

  constructor(
    private readonly signal: AbortLike | undefined,
    private readonly abortReason: () => Error,
    private readonly resolve: (response: DispatchResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.#controller = c;
    // Aborted while the request waited for a connection.
    if (this.signal?.aborted) c.abort(this.abortReason());
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: DispatchResponse["headers"],
  ): void {
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.signal?.removeEventListener("abort", this.#onAbort);
    const chunks = this.#chunks;
    let text =
      chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
    if (text.startsWith(BOM)) text = text.slice(1);
    this.resolve({ status: this.#status, headers: this.#headers, text });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.signal?.removeEventListener("abort", this.#onAbort);
    this.reject(error);
  }
}
