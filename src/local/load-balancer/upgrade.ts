import { type IncomingMessage, request, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { WORKER_ID_HEADER } from "../../protocol/load-balancing.js";
import { endToEnd } from "./headers.js";
import type { LbWorker } from "./lb-worker.js";

/** Writes a whole HTTP/1.1 response on a raw socket and closes it. */
export function answerRaw(
  socket: Duplex,
  status: number,
  body: string,
  extra: Record<string, string> = {},
): void {
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`,
    "content-type: application/json",
    `content-length: ${Buffer.byteLength(body)}`,
    "connection: close",
    ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
}

/**
 * Relays a WebSocket upgrade to `worker` (§6, §10.16): the handshake goes to the worker as sent,
 * its `101` comes back with `X-Runpod-Worker-Id`, and from then on bytes flow both ways untouched
 * until either side closes. A worker that refuses the upgrade has its answer relayed as it is.
 * `done` is called once, with the status the client got, when the session or the refusal is over.
 */
export function proxyUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  worker: LbWorker,
  done: (outcome: { status?: number; error?: string }) => void,
): void {
  let status: number | undefined;
  let ended = false;
  const end = (error?: string) => {
    if (ended) return;
    ended = true;
    done(error === undefined ? { status } : { status, error });
  };
  const upstream = request({
    host: "127.0.0.1",
    port: worker.port,
    method: req.method,
    path: req.url,
    headers: endToEnd(req.rawHeaders, true),
    setHost: false,
  });
  upstream.on("upgrade", (answer, workerSocket, workerHead) => {
    status = 101;
    const lines = [`HTTP/1.1 101 ${answer.statusMessage || "Switching Protocols"}`];
    const raw = answer.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
    lines.push(`${WORKER_ID_HEADER}: ${worker.id}`);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (workerHead.length > 0) socket.write(workerHead);
    if (head.length > 0) workerSocket.write(head);
    workerSocket.setNoDelay(true);
    const close = () => {
      socket.destroy();
      workerSocket.destroy();
      end();
    };
    workerSocket.on("error", close).on("close", close);
    socket.on("error", close).on("close", close);
    workerSocket.pipe(socket);
    socket.pipe(workerSocket);
  });
  upstream.on("response", (answer) => {
    // No upgrade: the worker's own answer, relayed.
    status = answer.statusCode;
    const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ""}`];
    const raw = endToEnd(answer.rawHeaders);
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]?.toLowerCase() !== "content-length") lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
    lines.push(`${WORKER_ID_HEADER}: ${worker.id}`, "connection: close");
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    answer.pipe(socket);
    answer.on("end", () => end());
    answer.on("error", () => {
      socket.destroy();
      end("the worker broke off its answer");
    });
  });
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    if (status !== undefined) return;
    status = 502;
    const message = `worker ${worker.id} failed: ${e.code ?? e.message}`;
    answerRaw(socket, 502, JSON.stringify({ error: message }), { [WORKER_ID_HEADER]: worker.id });
    end(message);
  });
  socket.on("error", () => upstream.destroy());
  socket.once("close", () => {
    if (status !== undefined) return;
    upstream.destroy();
    end("the client closed the connection");
  });
  upstream.end();
}
