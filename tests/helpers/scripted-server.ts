/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) whose answers each test scripts, and which
 * records every request that reached it, so tests assert what crossed the wire.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/v2/ep/run`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Raw body text ("" when none). */
  text: string;
  /** Parsed JSON body, or `undefined` when the body was empty or not JSON. */
  body: unknown;
}

/** What the server does with one request. */
export type Reply =
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Sends the headers and part of the body, then destroys the socket. */
  | { drop: true }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true };

export type Handler = (req: RecordedRequest) => Reply;

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url` + `/v2`, the base URL to give the client. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues answers, used in order before the handler. */
  reply(...replies: Reply[]): void;
  /** Answers requests once the queue is empty. */
  handle(handler: Handler): void;
  /** Resolves once `n` requests have arrived in total. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startScriptedServer(port = 0): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let handler: Handler = (req) => ({
    status: 418,
    text: `unscripted request ${req.method} ${req.path}`,
  });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        text,
        body,
      };
      requests.push(recorded);
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = queue.shift() ?? handler(recorded);
      if ("hang" in reply) return;
      if ("drop" in reply) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"id": "partial', () => res.socket?.destroy());
        return;
      }
      const payload = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
      res.writeHead(reply.status ?? 200, {
        ...(reply.json !== undefined ? { "content-type": "application/json" } : {}),
        ...reply.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    baseUrl: `${url}/v2`,
    requests,
    reply: (...replies) => queue.push(...replies),
    handle: (h) => {
      handler = h;
    },
    received: (n) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (a server bound it, then closed). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
