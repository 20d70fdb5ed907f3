import type { IncomingMessage, ServerResponse } from "node:http";
import { LB_STATUS, WORKER_ID_HEADER } from "../../protocol/load-balancing.js";
import { contentLength, endToEnd, hasTransferEncoding } from "./headers.js";
import type { UpstreamConnection, UpstreamExchange } from "./upstream-connection.js";
import type { UpstreamPool } from "./upstream-pool.js";

/** The worker a request goes to: its id (for `X-Runpod-Worker-Id`) and its connections. */
export interface ProxyTarget {
  readonly id: string;
  readonly upstream: UpstreamPool;
}

export interface ProxyLimits {
  processingTimeoutMs: number;
  payloadLimitBytes: number;
}

/**
 * A body of known size up to this many bytes is gathered and sent in one write with its head:
 * small enough to take no time to arrive whole, and one write where relaying chunk by chunk
 * takes several.
 */
const GATHERED_BODY_BYTES = 64 * 1024;

/**
 * Sends one request to `worker` and its answer back, both streamed chunk by chunk as they come
 * (§10.5): method, path, query, headers and body unchanged, the worker's status and headers
 * unchanged plus `X-Runpod-Worker-Id`. Never retried elsewhere (§10.8): a worker that fails is
 * answered 502. The request body over the payload limit is answered 413 and the response over it is
 * cut (§10.10); a request still running after the processing timeout is answered 504, or cut when
 * the worker's answer had already begun (§10.9). `done` is called exactly once, when the exchange
 * is over either way, with the status the client got and what went wrong, if anything.
 *
 * The worker leg is our own HTTP/1.1 client (`upstream-*.ts`), not `node:http`'s `ClientRequest`:
 * it costs the balancer about half the CPU per request (bench/RESULTS.md).
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  worker: ProxyTarget,
  limits: ProxyLimits,
  done: (status: number, error: string | undefined) => void,
): void {
  const exchange = new ProxyExchange(req, res, worker, limits, done);
  worker.upstream.acquire(exchange.use);
}

class ProxyExchange implements UpstreamExchange {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #worker: ProxyTarget;
  readonly #limit: number;
  readonly #done: (status: number, error: string | undefined) => void;
  readonly #timer: NodeJS.Timeout;
  #connection: UpstreamConnection | undefined;
  #finished = false;
  /** Neither body is relayed any more: the exchange failed. */
  #failed = false;
  #error: string | undefined;
  /** Response body bytes relayed so far, against the payload limit. */
  #bytes = 0;
  /** The response body's pieces while it is gathered (a known size up to the gathering cap). */
  #gathered: Buffer[] | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    worker: ProxyTarget,
    limits: ProxyLimits,
    done: (status: number, error: string | undefined) => void,
  ) {
    this.#req = req;
    this.#res = res;
    this.#worker = worker;
    this.#limit = limits.payloadLimitBytes;
    this.#done = done;
    this.#timer = setTimeout(
      () =>
        this.#fail(
          LB_STATUS.processingTimeout,
          "the worker did not finish within the processing timeout",
        ),
      limits.processingTimeoutMs,
    );
    res.on("close", () => {
      // The client went away before the answer was complete: the worker's side ends too.
      if (!res.writableFinished) {
        this.#error ??= "the client closed the connection";
        this.#connection?.abandon(this);
      }
      this.#finish();
    });
  }

  /** Takes the connection from the worker's pool and sends the request on it. */
  readonly use = (connection: UpstreamConnection): void => {
    if (this.#finished || this.#failed) {
      connection.putBack();
      return;
    }
    this.#connection = connection;
    const req = this.#req;
    connection.begin(this, req.method === "HEAD");
    const raw = req.rawHeaders;
    let head = `${req.method} ${req.url} HTTP/1.1\r\n`;
    const headers = endToEnd(raw);
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    const declared = contentLength(raw);
    if (declared === undefined && hasTransferEncoding(raw)) {
      // A chunked request body (the client's Transfer-Encoding, like every hop-by-hop header,
      // was dropped above): relayed chunked, its size counted against the limit.
      connection.sendHead(`${head}Transfer-Encoding: chunked\r\n\r\n`, true);
      this.#relayRequest(connection, true);
    } else if (declared === undefined || declared === 0) {
      connection.sendWhole(Buffer.from(`${head}\r\n`, "latin1"));
    } else if (declared <= GATHERED_BODY_BYTES) {
      this.#gatherRequest(connection, `${head}\r\n`, declared);
    } else {
      // Node's parser holds the body to its declared length, which admission held to the limit.
      connection.sendHead(`${head}\r\n`, false);
      this.#relayRequest(connection, false);
    }
  };

  onHead(status: number, reason: string, raw: string[], bodyLength: number | undefined): void {
    if (this.#failed) return;
    if (bodyLength !== undefined && bodyLength > this.#limit) {
      this.#fail(LB_STATUS.badGateway, `response over the ${this.#limit}-byte payload limit`);
      return;
    }
    const headers = endToEnd(raw);
    headers.push(WORKER_ID_HEADER, this.#worker.id);
    const res = this.#res;
    res.writeHead(status, reason, headers);
    if (bodyLength === undefined) {
      // A streamed answer's headers go out now, not with its first chunk, so the client sees the
      // status at once; a sized one goes out with its body in one write.
      res.flushHeaders();
    } else if (bodyLength > 0 && bodyLength <= GATHERED_BODY_BYTES) {
      this.#gathered = [];
    }
  }

  onBody(chunk: Buffer): void {
    if (this.#failed) return;
    if (this.#gathered !== undefined) {
      // The parser holds a sized body to its length, which was checked against the limit.
      this.#gathered.push(chunk);
      return;
    }
    this.#bytes += chunk.length;
    if (this.#bytes > this.#limit) {
      this.#fail(LB_STATUS.badGateway, `response over the ${this.#limit}-byte payload limit`);
      return;
    }
    if (!this.#res.write(chunk)) {
      const connection = this.#connection;
      connection?.pause();
      this.#res.once("drain", () => connection?.resume(this));
    }
  }

  onEnd(): void {
    if (this.#failed) return;
    clearTimeout(this.#timer);
    const gathered = this.#gathered;
    if (gathered === undefined) this.#res.end();
    else this.#res.end(gathered.length === 1 ? gathered[0] : Buffer.concat(gathered));
  }

  onError(reason: string): void {
    if (this.#finished || this.#failed) return;
    this.#fail(
      LB_STATUS.badGateway,
      this.#res.headersSent
        ? `worker ${this.#worker.id} broke off its response: ${reason}`
        : `worker ${this.#worker.id} failed: ${reason}`,
    );
  }

  /** A sized request body, gathered and sent with its head in one write once all of it came. */
  #gatherRequest(connection: UpstreamConnection, head: string, declared: number): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    this.#req.on("data", (chunk: Buffer) => {
      if (this.#failed) return;
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes < declared) return;
      const whole = Buffer.allocUnsafe(head.length + bytes);
      whole.write(head, 0, "latin1");
      let at = head.length;
      for (const c of chunks) at += c.copy(whole, at);
      connection.sendWhole(whole);
    });
  }

  /** A request body relayed chunk by chunk with backpressure; a chunked one counted. */
  #relayRequest(connection: UpstreamConnection, counted: boolean): void {
    const req = this.#req;
    const resume = () => req.resume();
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      if (this.#failed) return;
      if (counted) {
        bytes += chunk.length;
        if (bytes > this.#limit) {
          this.#fail(
            LB_STATUS.payloadTooLarge,
            `request body over the ${this.#limit}-byte payload limit`,
          );
          return;
        }
      }
      if (!connection.write(chunk)) {
        req.pause();
        connection.onceDrain(resume);
      }
    });
    req.on("end", () => {
      if (!this.#failed) connection.end();
    });
  }

  /** The load balancer's own answer, when the worker's has not begun; else the response is cut. */
  #fail(status: number, message: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#error ??= message;
    clearTimeout(this.#timer);
    this.#connection?.abandon(this);
    const res = this.#res;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ error: message });
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      [WORKER_ID_HEADER]: this.#worker.id,
      // The rest of the request body is not read: the connection cannot be reused.
      ...(this.#req.complete ? {} : { connection: "close" }),
    });
    res.end(body);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#done(this.#res.statusCode, this.#error);
  }
}
