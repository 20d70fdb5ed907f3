/**
 * The first request over a connection opened ahead (src/serverless/early-connection.ts): the same
 * bytes as undici's, on a connection the server saw before the request existed; the mapping of its
 * failures; and the fall-back to undici when it is not used in time.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, ConnectionError, RequestTimeoutError } from "../../src/core/api-errors.js";
import { MAX_UNUSED_MS } from "../../src/serverless/early-connection.js";
import { WorkerHttp } from "../../src/serverless/http.js";

interface Seen {
  /** Connection number (in accept order) and the request head as received. */
  connection: number;
  head: string;
}

let server: Server | undefined;
let http: WorkerHttp | undefined;
const serverSockets: Socket[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await http?.destroy();
  http = undefined;
  for (const socket of serverSockets.splice(0)) socket.destroy();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/**
 * A raw HTTP/1.1 server that records each request head with its connection's number, answers
 * `answer` (default 200 with a JSON body) and keeps the connection open.
 */
async function rawServer(
  answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
) {
  const seen: Seen[] = [];
  const accepted: Socket[] = [];
  let onAccept: (() => void) | undefined;
  server = createServer((socket) => {
    const connection = accepted.push(socket);
    serverSockets.push(socket);
    onAccept?.();
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk;
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffered.slice(0, end + 4);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        seen.push({ connection, head });
        buffered = buffered.slice(end + 4 + length);
        socket.write(answer);
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const accepting = () =>
    new Promise<void>((r) => {
      if (accepted.length > 0) r();
      else onAccept = r;
    });
  return { base: `http://127.0.0.1:${port}`, seen, accepted, accepting };
}

describe("the early connection", () => {
  it("carries the first GET with undici's exact bytes, on a connection opened before the request", async () => {
    const { base, seen, accepted, accepting } = await rawServer();
    http = new WorkerHttp("the-key", "test-agent/1", { sockets: 4 });
    const url = `${base}/v2/ep/job-take/w?gpu=A&job_in_progress=0`;
    http.preconnect(url);
    // The server has the connection before any request was made.
    await accepting();
    expect(seen).toEqual([]);
    let sent = false;
    const first = await http.get(url, "job-take", {
      timeoutMs: 5_000,
      onSent: () => {
        sent = true;
      },
    });
    expect(sent).toBe(true);
    expect(first).toEqual({
      status: 200,
      contentType: "application/json",
      retryAfter: undefined,
      text: "{}",
    });
    // The second goes through undici, on a new connection.
    await http.get(url, "job-take", { timeoutMs: 5_000 });
    expect(seen.map((s) => s.connection)).toEqual([1, 2]);
    expect(accepted).toHaveLength(2);
    const head = `GET /v2/ep/job-take/w?gpu=A&job_in_progress=0 HTTP/1.1\r\nhost: ${base.slice(7)}\r\nconnection: keep-alive\r\nAuthorization: the-key\r\nUser-Agent: test-agent/1\r\nContent-Type: application/json\r\n\r\n`;
    expect(seen[0]?.head).toBe(head);
    expect(seen[1]?.head).toBe(head);
  });

  it("is for one GET to its origin: a POST, another origin and a second GET go through undici", async () => {
    const { base, seen, accepting } = await rawServer();
    http = new WorkerHttp("k", "ua", { sockets: 4 });
    http.preconnect(`${base}/v2/ep/job-take/w`);
    await accepting();
    const other = base.replace("127.0.0.1", "localhost");
    await http.post(`${base}/v2/ep/job-done/w/j`, "job-done", {}, new Uint8Array([123, 125]), {
      timeoutMs: 5_000,
    });
    await http.get(`${other}/v2/ep/ping/w`, "ping", { timeoutMs: 5_000 });
    await http.get(`${base}/v2/ep/job-take/w`, "job-take", { timeoutMs: 5_000 });
    await http.get(`${base}/v2/ep/job-take/w`, "job-take", { timeoutMs: 5_000 });
    // The early connection is number 1; only the first GET to its origin used it.
    expect(seen.map((s) => [s.connection, s.head.split(" ")[0]])).toEqual([
      [2, "POST"],
      [3, "GET"],
      [1, "GET"],
      [2, "GET"],
    ]);
  });

  it("maps a missing answer to RequestTimeoutError, an abort to AbortError, a refusal to ConnectionError", async () => {
    const silent = await rawServer("");
    http = new WorkerHttp("secret-key", "ua", { sockets: 4 });
    http.preconnect(`${silent.base}/slow`);
    const timedOut = http.get(`${silent.base}/slow`, "job-take", { timeoutMs: 200 });
    await expect(timedOut).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(timedOut).rejects.toThrow("job-take: no response within 200 ms");
    await http.destroy();

    http = new WorkerHttp("secret-key", "ua", { sockets: 4 });
    http.preconnect(`${silent.base}/held`);
    const controller = new AbortController();
    // Aborted once the request is on the connection.
    const aborted = http.get(`${silent.base}/held`, "job-take", {
      timeoutMs: 60_000,
      signal: controller.signal,
      onSent: () => controller.abort(),
    });
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    await http.destroy();

    await new Promise((r) => server?.close(r));
    server = undefined;
    http = new WorkerHttp("secret-key", "ua", { sockets: 4 });
    http.preconnect(`${silent.base}/gone`);
    const refused = await http
      .get(`${silent.base}/gone`, "job-take", { timeoutMs: 1_000 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as Error).message).toMatch(/^job-take: /);
    expect((refused as Error).message).not.toContain("secret-key");
  });

  it("closes unused after MAX_UNUSED_MS; the first GET then goes through undici", async () => {
    const { base, seen, accepted, accepting } = await rawServer();
    // Only the unused timer is fake: sockets need no timers.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    http = new WorkerHttp("k", "ua", { sockets: 4 });
    http.preconnect(`${base}/v2/ep/job-take/w`);
    await accepting();
    const closed = new Promise((r) => accepted[0]?.once("close", r));
    vi.advanceTimersByTime(MAX_UNUSED_MS);
    vi.useRealTimers();
    await closed;
    const res = await http.get(`${base}/v2/ep/job-take/w`, "job-take", { timeoutMs: 5_000 });
    expect(res.status).toBe(200);
    expect(seen.map((s) => s.connection)).toEqual([2]);
  });
});

describe("the early connection over TLS", () => {
  it("offers the same SNI and ALPN as undici's connector", async () => {
    const dir = mkdtempSync(join(tmpdir(), "runpod-early-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
          ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
          ...["-days", "1", "-subj", "/CN=localhost"],
        ],
        { stdio: "ignore" },
      );
      const hellos: Array<{ servername: string; protocols: string[] }> = [];
      const tls = createHttpsServer({
        key: readFileSync(join(dir, "key.pem")),
        cert: readFileSync(join(dir, "cert.pem")),
        ALPNCallback: ({ servername, protocols }) => {
          hellos.push({ servername, protocols });
          return "http/1.1";
        },
      });
      await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
      try {
        const url = `https://localhost:${(tls.address() as AddressInfo).port}/v2/ep/job-take/w`;
        http = new WorkerHttp("k", "ua", { sockets: 4 });
        http.preconnect(url);
        // The certificate is not trusted: both paths fail the same way, after their hello.
        const early = await http.get(url, "job-take", { timeoutMs: 5_000 }).catch((e) => e);
        const undici = await http.get(url, "job-take", { timeoutMs: 5_000 }).catch((e) => e);
        expect(early).toBeInstanceOf(ConnectionError);
        expect(undici).toBeInstanceOf(ConnectionError);
        expect(hellos).toEqual([
          { servername: "localhost", protocols: ["http/1.1"] },
          { servername: "localhost", protocols: ["http/1.1"] },
        ]);
      } finally {
        tls.closeAllConnections();
        await new Promise((r) => tls.close(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
