/**
 * The worker's first request without undici: a connection to the platform opened before the
 * fitness checks run (TCP, and TLS for https, in the background of their waits), and the first
 * job-take sent over it with Node's own HTTP client once they pass. Then the take does not wait
 * for undici's Agent to load (23 files and `node:http2`) nor for its WebAssembly HTTP parser to
 * compile: undici loads while the take travels. Measured in `npm run bench:worker` (cold start);
 * see bench/RESULTS.md, "Worker notes".
 *
 * The bytes are undici's: the same TLS options (ALPN `http/1.1`, SNI unless the host is an IP
 * address), and the same request head, with `host` and `connection: keep-alive` first, lower-case,
 * then the caller's headers in order (tests/serverless/early-connection.test.ts compares them).
 * The connection carries one request and is then closed; later requests go through undici. One
 * that is not used within `MAX_UNUSED_MS` is closed: a server may drop a connection that sends
 * nothing, and a request into a dropped one would fail.
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { splitUrl } from "../internal/undici-dispatch.js";

/** undici's connect timeout (its connector's default), for the same failure on both paths. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Longer fitness checks than this: the connection is closed and undici serves the first take. */
export const MAX_UNUSED_MS = 4_000;

export interface EarlyResponse {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  text: string;
}

export interface EarlyRequest {
  headers: Record<string, string>;
  /** Idle time allowed while waiting for the answer (headers, then between body chunks). */
  timeoutMs: number;
  /** Aborting it fails the request with `abortReason()`. */
  signal?:
    | {
        readonly aborted: boolean;
        addEventListener(type: "abort", l: () => void, o?: { once?: boolean }): void;
        removeEventListener(type: "abort", l: () => void): void;
      }
    | undefined;
  abortReason: () => Error;
  /** Called once the request is written to the connection (or queued on it while it connects). */
  onSent?: (() => void) | undefined;
}

const BOM = "\uFEFF";

/** An error with the code undici gives the same failure, so one mapping serves both paths. */
function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export class EarlyConnection {
  private socket: Socket | undefined;
  private readonly opening: Promise<Socket | undefined>;
  private used = false;
  private closed = false;
  private readonly unusedTimer: NodeJS.Timeout;
  /** The origin as written in the URL: requests to it, and only them, may use the connection. */
  private readonly origin: string;
  /** undici's `host` header for that origin: the host name, and the port unless the default. */
  private readonly host: string;

  /**
   * Starts connecting to `url`'s origin. `onDropped` is called once if the connection closes
   * before carrying a request (it failed, or was not used in time), so the caller can prepare
   * its other path.
   */
  constructor(
    url: string,
    private readonly onDropped: () => void,
  ) {
    this.origin = splitUrl(url).origin;
    const parsed = new URL(this.origin);
    this.host = parsed.host;
    this.opening = this.open(parsed).catch(() => {
      this.close();
      return undefined;
    });
    this.unusedTimer = setTimeout(() => this.close(), MAX_UNUSED_MS);
    this.unusedTimer.unref();
  }

  /** Whether this request can go over the connection: a GET to its origin, and nothing sent on it yet. */
  fits(url: string, method: string): boolean {
    return !this.used && !this.closed && method === "GET" && splitUrl(url).origin === this.origin;
  }

  private async open(url: URL): Promise<Socket | undefined> {
    const https = url.protocol === "https:";
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(url.port || (https ? 443 : 80));
    let socket: Socket;
    if (https) {
      const tls = await import("node:tls");
      if (this.closed) return undefined;
      // As undici's connector: SNI only for a name, and ALPN http/1.1.
      socket = tls.connect({
        host: hostname,
        port,
        ALPNProtocols: ["http/1.1"],
        ...((await import("node:net")).isIP(hostname) ? {} : { servername: hostname }),
      });
    } else {
      const net = await import("node:net");
      if (this.closed) return undefined;
      socket = net.connect({ host: hostname, port });
    }
    socket.setKeepAlive(true, 60_000).setNoDelay(true);
    this.socket = socket;
    // Until a request owns it, a failure only closes it (and the request path reports it).
    socket.on("error", () => this.close());
    socket.once("close", () => this.close());
    const timer = setTimeout(
      () =>
        socket.destroy(
          codedError(
            `connect to ${hostname}:${port} timed out (${CONNECT_TIMEOUT_MS} ms)`,
            "UND_ERR_CONNECT_TIMEOUT",
          ),
        ),
      CONNECT_TIMEOUT_MS,
    );
    timer.unref();
    socket.once(https ? "secureConnect" : "connect", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
    return socket;
  }

  /** Sends one GET over the connection and reads the answer as text; then closes the connection. */
  async get(path: string, request: EarlyRequest): Promise<EarlyResponse> {
    this.used = true;
    clearTimeout(this.unusedTimer);
    const [socket, http] = await Promise.all([this.opening, import("node:http")]);
    const { signal, abortReason } = request;
    if (!socket || socket.destroyed) {
      throw codedError("the connection opened ahead closed before the request", "ECONNRESET");
    }
    if (signal?.aborted) {
      this.close();
      throw abortReason();
    }
    return new Promise<EarlyResponse>((resolve, reject) => {
      let req: ClientRequest | undefined;
      let idle: NodeJS.Timeout | undefined;
      const fail = (error: Error) => {
        clearTimeout(idle);
        signal?.removeEventListener("abort", onAbort);
        this.close();
        reject(error);
      };
      const onAbort = () => req?.destroy(abortReason());
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(
          () =>
            req?.destroy(
              codedError(`no answer within ${request.timeoutMs} ms`, "UND_ERR_HEADERS_TIMEOUT"),
            ),
          request.timeoutMs,
        );
      };
      // undici's request head: host and connection first, lower-case, then the caller's headers.
      const head = ["host", this.host, "connection", "keep-alive"];
      for (const [name, value] of Object.entries(request.headers)) head.push(name, value);
      req = http.request(
        { method: "GET", path, setHost: false, headers: head, createConnection: () => socket },
        (res: IncomingMessage) => {
          arm();
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            arm();
          });
          res.on("error", fail);
          res.on("end", () => {
            clearTimeout(idle);
            signal?.removeEventListener("abort", onAbort);
            this.close();
            let text = Buffer.concat(chunks).toString();
            if (text.startsWith(BOM)) text = text.slice(1);
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers["content-type"],
              retryAfter: res.headers["retry-after"],
              text,
            });
          });
        },
      );
      req.on("error", fail);
      signal?.addEventListener("abort", onAbort, { once: true });
      arm();
      // Node hands the request to the connection on a later tick, right after emitting 'socket':
      // report it sent after that, so what `onSent` starts (a thread, more connections) comes
      // after the request's bytes.
      const { onSent } = request;
      if (onSent) req.once("socket", () => process.nextTick(onSent));
      req.end();
    });
  }

  /** Closes the connection (idempotent); `onDropped` if it never carried a request. */
  close(): void {
    clearTimeout(this.unusedTimer);
    this.socket?.destroy();
    if (this.closed) return;
    this.closed = true;
    if (!this.used) this.onDropped();
  }
}
