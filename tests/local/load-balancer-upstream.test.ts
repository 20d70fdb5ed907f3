/**
 * The load balancer's own HTTP/1.1 client on the worker leg (`upstream-*.ts`), through
 * `proxyRequest` behind a real `node:http` server, against real workers: `node:http` apps and a
 * raw `net` server scripting the responses a framework could send (RFC 9112 framing, 1xx,
 * keep-alive, stale sockets) and ones it must refuse with 502.
 */
import { once } from "node:events";
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ProxyLimits, proxyRequest } from "../../src/local/load-balancer/proxy.js";
import {
  DEFAULT_UPSTREAM_LIMITS,
  UpstreamPool,
  type UpstreamPoolLimits,
} from "../../src/local/load-balancer/upstream-pool.js";

const LIMITS: ProxyLimits = { processingTimeoutMs: 10_000, payloadLimitBytes: 1024 * 1024 };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server | NetServer): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as { port: number }).port;
}

interface RawRequest {
  head: string;
  body: Buffer;
  /** Which connection it came on, counting from 0. */
  connection: number;
}

/**
 * A worker on raw TCP: `answer` writes whatever it likes on the socket for each request (head
 * read up to CRLF CRLF, then a Content-Length or chunked body). Records requests and connections.
 */
async function rawWorker(answer: (socket: Socket, request: RawRequest, n: number) => unknown) {
  const requests: RawRequest[] = [];
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    const connection = sockets.push(socket) - 1;
    let buffered = Buffer.alloc(0);
    socket.on("error", () => {});
    socket.on("data", (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffered.toString("latin1", 0, end);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        let bodyEnd = end + 4 + Number(length?.[1] ?? 0);
        let body = buffered.subarray(end + 4, bodyEnd);
        if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
          const last = buffered.indexOf("0\r\n\r\n", end + 4);
          if (last < 0) return;
          bodyEnd = last + 5;
          body = buffered.subarray(end + 4, bodyEnd);
        }
        if (buffered.length < bodyEnd) return;
        buffered = buffered.subarray(bodyEnd);
        const request = { head, body, connection };
        requests.push(request);
        answer(socket, request, requests.length - 1);
      }
    });
  });
  const port = await listen(server);
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return { port, requests, sockets };
}

/** A `node:http` worker app. */
async function httpWorker(handler: Parameters<typeof createHttpServer>[1], keepAliveMs = 5_000) {
  const server = createHttpServer(handler);
  server.keepAliveTimeout = keepAliveMs;
  let connections = 0;
  server.on("connection", () => connections++);
  const port = await listen(server);
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { port, server, connections: () => connections };
}

interface Outcome {
  status: number;
  error: string | undefined;
}

/** A `node:http` server proxying every request to `port` through `proxyRequest`. */
async function balancer(
  port: number,
  limits: ProxyLimits = LIMITS,
  poolLimits: UpstreamPoolLimits = DEFAULT_UPSTREAM_LIMITS,
) {
  const target = { id: "w-test", upstream: new UpstreamPool(port, poolLimits) };
  const outcomes: Outcome[] = [];
  let waiter: (() => void) | undefined;
  const server = createHttpServer((req, res) =>
    proxyRequest(req, res, target, limits, (status, error) => {
      outcomes.push({ status, error });
      waiter?.();
    }),
  );
  const lbPort = await listen(server);
  cleanups.push(() => {
    target.upstream.destroy();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  /** Resolves with the `n`th outcome (from 1) once the exchange is over. */
  const outcome = (n: number) =>
    new Promise<Outcome>((resolve) => {
      const check = () => {
        const got = outcomes[n - 1];
        if (got === undefined) return false;
        resolve(got);
        return true;
      };
      if (check()) return;
      const before = waiter;
      waiter = () => {
        before?.();
        check();
      };
    });
  return { url: `http://127.0.0.1:${lbPort}`, pool: target.upstream, outcome };
}

/** Writes `bytes` one at a time, each in its own segment, then resolves. */
async function trickle(socket: Socket, bytes: string): Promise<void> {
  for (const byte of Buffer.from(bytes, "latin1")) {
    await new Promise<void>((resolve) => socket.write(Buffer.of(byte), () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** One request through `node:http`, resolving with the response and its whole body. */
function get(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer[] } = {},
): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers: options.headers });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ res, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    for (const piece of options.body ?? []) req.write(piece);
    req.end();
  });
}

const OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";

describe("load balancer upstream client: framing", () => {
  it("reuses one keep-alive connection for sequential Content-Length responses", async () => {
    const app = await httpWorker((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-app": "a" });
      res.end(JSON.stringify({ url: req.url }));
    });
    const lb = await balancer(app.port);
    for (const path of ["/one", "/two", "/three"]) {
      const res = await fetch(`${lb.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-app")).toBe("a");
      expect(res.headers.get("x-runpod-worker-id")).toBe("w-test");
      expect(await res.json()).toEqual({ url: path });
    }
    expect(app.connections()).toBe(1);
    expect(lb.pool.open).toBe(1);
  });

  it("reads chunked bodies with chunk extensions and trailers, and reuses the connection", async () => {
    const worker = await rawWorker((socket) => {
      socket.write(
        `${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n` +
          '5;name=value;quoted="a b"\r\nhello\r\n6 ; ext\r\n world\r\n' +
          "0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n",
      );
    });
    const lb = await balancer(worker.port);
    for (let i = 0; i < 2; i++) {
      const { res, body } = await get(`${lb.url}/chunked`);
      expect(res.statusCode).toBe(200);
      expect(body).toBe("hello world");
      expect(res.headers["x-checksum"]).toBeUndefined();
    }
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it("parses a response split into one-byte segments, chunked and sized", async () => {
    const worker = await rawWorker((socket, _request, n) =>
      trickle(
        socket,
        n === 0
          ? `${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n`
          : `${OK_HEAD}Content-Length: 5\r\n\r\nfghij`,
      ),
    );
    const lb = await balancer(worker.port);
    expect((await get(`${lb.url}/a`)).body).toBe("abcde");
    expect((await get(`${lb.url}/b`)).body).toBe("fghij");
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 0]);
  });

  it("reads a close-delimited body to the end and never reuses that connection", async () => {
    const worker = await rawWorker((socket, _request, n) => {
      socket.write(`${OK_HEAD}\r\nuntil `);
      socket.end(`close ${n}`);
    });
    const lb = await balancer(worker.port);
    expect((await get(`${lb.url}/a`)).body).toBe("until close 0");
    expect((await get(`${lb.url}/b`)).body).toBe("until close 1");
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  it("reads no body after HEAD, 204 and 304, whatever their headers say", async () => {
    const worker = await rawWorker((socket, request) => {
      if (request.head.startsWith("HEAD")) {
        socket.write(`${OK_HEAD}Content-Length: 100\r\n\r\n`);
      } else if (request.head.startsWith("GET /204")) {
        socket.write("HTTP/1.1 204 No Content\r\nX-N: 204\r\n\r\n");
      } else if (request.head.startsWith("GET /304")) {
        socket.write('HTTP/1.1 304 Not Modified\r\nETag: "e"\r\nContent-Length: 7\r\n\r\n');
      } else {
        socket.write(`${OK_HEAD}Content-Length: 4\r\n\r\nlast`);
      }
    });
    const lb = await balancer(worker.port);
    const head = await get(`${lb.url}/h`, { method: "HEAD" });
    expect(head.res.statusCode).toBe(200);
    expect(head.res.headers["content-length"]).toBe("100");
    expect(head.body).toBe("");
    expect((await get(`${lb.url}/204`)).res.statusCode).toBe(204);
    const notModified = await get(`${lb.url}/304`);
    expect(notModified.res.statusCode).toBe(304);
    expect(notModified.res.headers.etag).toBe('"e"');
    expect((await get(`${lb.url}/last`)).body).toBe("last");
    // All four on one connection: no body was looked for after the first three.
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 0, 0, 0]);
  });

  it("skips 100 Continue and 103 Early Hints, relaying the final answer", async () => {
    const worker = await rawWorker((socket) => {
      socket.write("HTTP/1.1 100 Continue\r\n\r\n");
      socket.write("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n");
      socket.write(`${OK_HEAD}Content-Length: 5\r\n\r\nfinal`);
    });
    const lb = await balancer(worker.port);
    const { res, body } = await get(`${lb.url}/upload`, {
      method: "POST",
      headers: { expect: "100-continue", "content-length": "3" },
      body: [Buffer.from("abc")],
    });
    expect(res.statusCode).toBe(200);
    expect(body).toBe("final");
    expect(worker.requests[0]?.head).toMatch(/\r\nexpect: 100-continue/i);
    expect(worker.requests[0]?.body.toString()).toBe("abc");
  });

  it("sends a sized body with its head, an unsized one chunked, and a large one whole", async () => {
    const app = await httpWorker(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      res.end(
        JSON.stringify({
          length: body.length,
          te: req.headers["transfer-encoding"] ?? null,
          sum: body.reduce((a, b) => (a + b) % 65_521, 0),
        }),
      );
    });
    const lb = await balancer(app.port);
    const big = Buffer.alloc(300 * 1024, 7);
    const sum = (b: Buffer) => b.reduce((a, x) => (a + x) % 65_521, 0);
    const sized = await get(`${lb.url}/`, {
      method: "POST",
      headers: { "content-length": "5" },
      body: [Buffer.from("ab"), Buffer.from("cde")],
    });
    expect(JSON.parse(sized.body)).toEqual({ length: 5, te: null, sum: sum(Buffer.from("abcde")) });
    const chunked = await get(`${lb.url}/`, {
      method: "POST",
      body: [Buffer.from("first "), Buffer.from("second")],
    });
    expect(JSON.parse(chunked.body)).toEqual({
      length: 12,
      te: "chunked",
      sum: sum(Buffer.from("first second")),
    });
    const large = await get(`${lb.url}/`, {
      method: "PUT",
      headers: { "content-length": String(big.length) },
      body: [big],
    });
    expect(JSON.parse(large.body)).toEqual({ length: big.length, te: null, sum: sum(big) });
    expect(app.connections()).toBe(1);
  });
});

describe("load balancer upstream client: refused responses", () => {
  const refused: Array<[string, string]> = [
    ["a malformed status line", "HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n"],
    ["an HTTP/2 status line", "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n"],
    ["whitespace before a header's colon", `${OK_HEAD}Content-Length : 2\r\n\r\nhi`],
    ["an obs-fold continuation line", `${OK_HEAD}X-Long: a\r\n  b\r\nContent-Length: 2\r\n\r\nhi`],
    ["a bare LF", "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nhi"],
    [
      "a control byte in a header value",
      `${OK_HEAD}X-Bad: a\u0001b\r\nContent-Length: 2\r\n\r\nhi`,
    ],
    [
      "Content-Length and Transfer-Encoding",
      `${OK_HEAD}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n`,
    ],
    [
      "conflicting Content-Length values",
      `${OK_HEAD}Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi`,
    ],
    ["a non-numeric Content-Length", `${OK_HEAD}Content-Length: 2x\r\n\r\nhi`],
    [
      "a transfer coding other than chunked",
      `${OK_HEAD}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    ],
    ["101 to a request that did not ask to upgrade", "HTTP/1.1 101 Switching Protocols\r\n\r\n"],
    [
      "a head over 16 KiB",
      `${OK_HEAD}X-Big: ${"a".repeat(17 * 1024)}\r\nContent-Length: 0\r\n\r\n`,
    ],
  ];
  for (const [what, response] of refused) {
    it(`answers 502 for ${what}, and drops the connection`, async () => {
      const worker = await rawWorker((socket) => socket.write(response));
      const lb = await balancer(worker.port);
      const res = await fetch(`${lb.url}/x`);
      expect(res.status).toBe(502);
      expect(res.headers.get("x-runpod-worker-id")).toBe("w-test");
      expect((await res.json()).error).toMatch(/^worker w-test failed: /);
      expect((await lb.outcome(1)).status).toBe(502);
      await once(worker.sockets[0] as Socket, "close");
    });
  }

  it("accepts repeated equal Content-Length values", async () => {
    const worker = await rawWorker((socket) =>
      socket.write(`${OK_HEAD}Content-Length: 2, 2\r\nContent-Length: 2\r\n\r\nhi`),
    );
    const lb = await balancer(worker.port);
    expect((await get(`${lb.url}/`)).body).toBe("hi");
  });

  it("answers 502 for a bad chunk size after the head, cutting the response", async () => {
    const worker = await rawWorker((socket) =>
      socket.write(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\nzz\r\n`),
    );
    const lb = await balancer(worker.port);
    await expect(get(`${lb.url}/`)).rejects.toThrow();
    expect((await lb.outcome(1)).error).toMatch(/^worker w-test broke off its response: /);
  });
});

describe("load balancer upstream client: connections", () => {
  it("answers 502 when the worker hangs up before answering", async () => {
    const worker = await rawWorker((socket) => socket.end());
    const lb = await balancer(worker.port);
    const res = await fetch(`${lb.url}/`);
    expect(res.status).toBe(502);
    expect((await res.json()).error).toBe("worker w-test failed: socket hang up");
  });

  it("cuts the response when the worker hangs up mid-body", async () => {
    const worker = await rawWorker((socket) => {
      socket.write(`${OK_HEAD}Content-Length: 100\r\n\r\nten bytes.`);
      setImmediate(() => socket.destroy());
    });
    const lb = await balancer(worker.port);
    await expect(get(`${lb.url}/`)).rejects.toThrow();
    expect(await lb.outcome(1)).toEqual({
      status: 200,
      error: "worker w-test broke off its response: connection closed mid-response",
    });
  });

  it("never reuses a connection the server closed while it was idle", async () => {
    // The server closes every connection 1 ms after answering, without saying so.
    const worker = await rawWorker((socket) => {
      socket.write(`${OK_HEAD}Content-Length: 2\r\n\r\nok`);
      setTimeout(() => socket.end(), 1);
    });
    const lb = await balancer(worker.port);
    expect((await get(`${lb.url}/a`)).body).toBe("ok");
    await once(worker.sockets[0] as Socket, "close");
    expect(lb.pool.open).toBe(0);
    expect((await get(`${lb.url}/b`)).body).toBe("ok");
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  it("does not reuse a connection with bytes after the response", async () => {
    const worker = await rawWorker((socket) =>
      socket.write(`${OK_HEAD}Content-Length: 2\r\n\r\nokEXTRA`),
    );
    const lb = await balancer(worker.port);
    expect((await get(`${lb.url}/a`)).body).toBe("ok");
    expect((await get(`${lb.url}/b`)).body).toBe("ok");
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 1]);
  });

  it("keeps no connection the server asked to close, or whose keep-alive hint is 1 s", async () => {
    const worker = await rawWorker((socket, _request, n) =>
      socket.write(
        `${OK_HEAD}${n === 0 ? "Connection: close" : "Keep-Alive: timeout=1"}\r\nContent-Length: 2\r\n\r\nok`,
      ),
    );
    const lb = await balancer(worker.port);
    await get(`${lb.url}/a`);
    await get(`${lb.url}/b`);
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 1]);
    expect(lb.pool.idle).toBe(0);
  });

  it("closes idle connections after the idle limit", async () => {
    const app = await httpWorker((_req, res) => res.end("ok"));
    // Long enough that the connection is still idle when the test looks, on a loaded machine too
    // (40 ms was sometimes over before the check ran).
    const lb = await balancer(app.port, LIMITS, { ...DEFAULT_UPSTREAM_LIMITS, idleMs: 1000 });
    // The balancer's end of the connection closing: the worker's side reads its end first.
    const ended = new Promise((resolve) =>
      app.server.once("connection", (socket: Socket) => socket.once("end", resolve)),
    );
    await get(`${lb.url}/`);
    expect(lb.pool.idle).toBe(1);
    await ended;
    expect(lb.pool.open).toBe(0);
  });

  it("with maxSockets busy, a request waits for a connection to free up", async () => {
    let release: (() => void) | undefined;
    const app = await httpWorker((req, res) => {
      if (req.url === "/hold") release = () => res.end("held");
      else res.end("quick");
    });
    const lb = await balancer(app.port, LIMITS, { ...DEFAULT_UPSTREAM_LIMITS, maxSockets: 1 });
    const held = get(`${lb.url}/hold`);
    const quick = get(`${lb.url}/quick`);
    await new Promise<void>((resolve) => {
      const poll = () => (release === undefined ? setImmediate(poll) : resolve());
      poll();
    });
    expect(lb.pool.open).toBe(1);
    release?.();
    expect((await held).body).toBe("held");
    expect((await quick).body).toBe("quick");
    expect(app.connections()).toBe(1);
  });

  it("destroys the worker's socket when the client goes away mid-response", async () => {
    const worker = await rawWorker((socket) =>
      socket.write(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n`),
    );
    const lb = await balancer(worker.port);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${lb.url}/stream`);
      req.on("error", () => {});
      req.on("response", (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", reject);
      req.end();
    });
    await once(worker.sockets[0] as Socket, "close");
    expect((await lb.outcome(1)).error).toBe("the client closed the connection");
  });

  it("streams a response without gathering it: the first chunk arrives before the rest exists", async () => {
    let finish: (() => void) | undefined;
    const worker = await rawWorker((socket) => {
      socket.write(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n6\r\nfirst \r\n`);
      finish = () => socket.write("4\r\nlast\r\n0\r\n\r\n");
    });
    const lb = await balancer(worker.port);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${lb.url}/sse`);
      req.on("error", reject);
      req.on("response", (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
          if (text === "first ") finish?.();
        });
        res.on("end", () => resolve(text));
      });
      req.end();
    });
    expect(body).toBe("first last");
  });

  it("stops reading the worker while the client does not read (backpressure)", async () => {
    const total = 64 * 1024 * 1024;
    let written = 0;
    const app = await httpWorker((_req, res) => {
      res.writeHead(200, { "content-length": total });
      const block = Buffer.alloc(256 * 1024);
      const pump = () => {
        while (written < total) {
          written += block.length;
          if (!res.write(block)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const lb = await balancer(app.port, { ...LIMITS, payloadLimitBytes: total });
    const req = httpRequest(`${lb.url}/big`);
    req.end();
    const [res] = (await once(req, "response")) as [IncomingMessage];
    res.pause();
    // Once nothing more has left the worker for 300 ms, far less than the whole body has: without
    // backpressure the balancer would read all of it into memory.
    let seen = -1;
    while (written !== seen) {
      seen = written;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(written).toBeLessThan(total / 4);
    req.destroy();
  });
});

describe("load balancer upstream client: reuse after backpressure", () => {
  it("reads the next response on a connection paused for a slow client", async () => {
    const big = 4 * 1024 * 1024;
    const worker = await rawWorker((socket, _request, n) => {
      if (n > 0) return socket.write(`${OK_HEAD}Content-Length: 4\r\n\r\nnext`);
      // The whole body in one write: the read that completes it likely finds the client full.
      socket.write(
        Buffer.concat([
          Buffer.from(`${OK_HEAD}Content-Length: ${big}\r\n\r\n`),
          Buffer.alloc(big, 97),
        ]),
      );
    });
    const lb = await balancer(worker.port, { ...LIMITS, payloadLimitBytes: big });
    const length = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${lb.url}/big`);
      req.on("error", reject);
      req.on("response", (res) => {
        let bytes = 0;
        res.pause();
        // Reads only once the balancer has had to stop reading the worker.
        setTimeout(() => res.resume(), 200);
        res.on("data", (c: Buffer) => {
          bytes += c.length;
        });
        res.on("end", () => resolve(bytes));
      });
      req.end();
    });
    expect(length).toBe(big);
    expect((await get(`${lb.url}/next`)).body).toBe("next");
    expect(worker.requests.map((r) => r.connection)).toEqual([0, 0]);
  });
});
