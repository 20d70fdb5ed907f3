/** A real HTTP server that records webhook POSTs and answers with scripted statuses. */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedHook {
  body: unknown;
  headers: IncomingMessage["headers"];
  answered: number;
  /** `performance.now()` at arrival. */
  at: number;
}

/** A status, optionally with a `Retry-After` header. */
export type HookAnswer = number | { status: number; retryAfter: string };

export async function startWebhookReceiver(statuses: HookAnswer[] = []) {
  const received: ReceivedHook[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const at = performance.now();
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const scripted = statuses.shift() ?? 200;
      const answered = typeof scripted === "number" ? scripted : scripted.status;
      received.push({
        body: JSON.parse(Buffer.concat(parts).toString("utf8")),
        headers: req.headers,
        answered,
        at,
      });
      const headers = typeof scripted === "number" ? {} : { "Retry-After": scripted.retryAfter };
      res.writeHead(answered, headers).end();
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Resolves once `count` requests have arrived in total. */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A URL on a port nobody listens on (bound then released). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}/hook`;
}
