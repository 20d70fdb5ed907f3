import {
  type IncomingMessage,
  type OutgoingMessage,
  request,
  type ServerResponse,
} from "node:http";
import { LB_STATUS, WORKER_ID_HEADER } from "../../protocol/load-balancing.js";
import { contentLength, endToEnd } from "./headers.js";
import type { LbWorker } from "./lb-worker.js";

export interface ProxyLimits {
  processingTimeoutMs: number;
  payloadLimitBytes: number;
}

/**
 * Sends one request to `worker` and its answer back, both streamed chunk by chunk as they come
 * (§10.5): method, path, query, headers and body unchanged, the worker's status and headers
 * unchanged plus `X-Runpod-Worker-Id`. Never retried elsewhere (§10.8): a worker that fails is
 * answered 502. The request body over the payload limit is answered 413 and the response over it is
 * cut (§10.10); a request still running after the processing timeout is answered 504, or cut when
 * the worker's answer had already begun (§10.9). `done` is called exactly once, when the exchange
 * is over either way, with the status
 * the client got and what went wrong, if anything.
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  worker: LbWorker,
  limits: ProxyLimits,
  done: (status: number, error: string | undefined) => void,
): void {
  const limit = limits.payloadLimitBytes;
  let finished = false;
  let error: string | undefined;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    done(res.statusCode, error);
  };
  /** The load balancer's own answer, when the worker's has not begun; else the response is cut. */
  const fail = (status: number, message: string) => {
    error ??= message;
    req.removeAllListeners("data");
    upstream.destroy();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ error: message });
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      [WORKER_ID_HEADER]: worker.id,
      // The rest of the request body is not read: the connection cannot be reused.
      ...(req.complete ? {} : { connection: "close" }),
    });
    res.end(body);
  };

  const upstream = request({
    host: "127.0.0.1",
    port: worker.port,
    method: req.method,
    path: req.url,
    headers: endToEnd(req.rawHeaders),
    setHost: false,
    agent: worker.agent,
  });
  const timer = setTimeout(
    () =>
      fail(LB_STATUS.processingTimeout, "the worker did not finish within the processing timeout"),
    limits.processingTimeoutMs,
  );

  relayBody(req, upstream, contentLength(req.rawHeaders), limit, () =>
    fail(LB_STATUS.payloadTooLarge, `request body over the ${limit}-byte payload limit`),
  );

  upstream.on("response", (answer) => {
    const declared = contentLength(answer.rawHeaders);
    if (declared !== undefined && declared > limit) {
      answer.resume();
      fail(LB_STATUS.badGateway, `response over the ${limit}-byte payload limit`);
      return;
    }
    const headers = endToEnd(answer.rawHeaders);
    headers.push(WORKER_ID_HEADER, worker.id);
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
    // A streamed answer's headers go out now, not with its first chunk, so the client sees the
    // status at once; a sized one goes out with its body in one write.
    if (declared === undefined) res.flushHeaders();
    relayBody(answer, res, declared, limit, () =>
      fail(LB_STATUS.badGateway, `response over the ${limit}-byte payload limit`),
    );
    answer.on("error", () =>
      fail(LB_STATUS.badGateway, `worker ${worker.id} broke off its response`),
    );
  });
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    if (finished || error !== undefined) return;
    fail(LB_STATUS.badGateway, `worker ${worker.id} failed: ${e.code ?? e.message}`);
  });
  res.on("close", () => {
    // The client went away before the answer was complete: the worker's side ends too.
    if (!res.writableFinished) {
      error ??= "the client closed the connection";
      upstream.destroy();
    }
    finish();
  });
}

/**
 * A sized body up to this many bytes is gathered and sent with `end`: with its headers in one
 * write and one pass through the outgoing stream, where chunk-by-chunk relaying takes a `write`
 * and an `end` on separate ticks. It is small enough to take no time to arrive whole.
 */
const GATHERED_BODY_BYTES = 64 * 1024;

/**
 * Relays a message body chunk by chunk with backpressure, and calls `over` once more than `limit`
 * bytes came (Content-Length over the limit was refused before). By hand rather than with `pipe`,
 * which adds and removes a dozen listeners per message: a measurable share of the balancer's CPU
 * per small request (bench/RESULTS.md).
 */
function relayBody(
  from: IncomingMessage,
  to: OutgoingMessage,
  declared: number | undefined,
  limit: number,
  over: () => void,
): void {
  if (declared !== undefined && declared <= GATHERED_BODY_BYTES) {
    // The parser holds a sized body to its declared length: no count needed.
    const chunks: Buffer[] = [];
    from.on("data", (chunk: Buffer) => chunks.push(chunk));
    from.on("end", () => {
      if (to.destroyed) return;
      to.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    return;
  }
  let bytes = 0;
  from.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limit) over();
    else if (!to.write(chunk)) {
      from.pause();
      to.once("drain", () => from.resume());
    }
  });
  from.on("end", () => {
    if (!to.destroyed) to.end();
  });
}
