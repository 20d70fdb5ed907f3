/** The worker's HTTP client over real loopback sockets: answers, failures mapped to our errors. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { errors as undiciErrors } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, ConnectionError, RequestTimeoutError } from "../../src/core/api-errors.js";
import { loadAgentClass } from "../../src/internal/undici-agent.js";
import { splitUrl } from "../../src/internal/undici-dispatch.js";
import { failure, WorkerHttp } from "../../src/serverless/http.js";

describe("splitUrl", () => {
  it("splits origin and path (with its query) without losing a byte", () => {
    expect(splitUrl("http://127.0.0.1:8000/v2/ep/job-take/w?gpu=A&x=1")).toEqual({
      origin: "http://127.0.0.1:8000",
      path: "/v2/ep/job-take/w?gpu=A&x=1",
    });
    expect(splitUrl("https://api.runpod.ai/v2/ep/job-done/w/j%2F1")).toEqual({
      origin: "https://api.runpod.ai",
      path: "/v2/ep/job-done/w/j%2F1",
    });
    expect(splitUrl("http://h?q=1")).toEqual({ origin: "http://h", path: "/?q=1" });
    expect(splitUrl("http://h")).toEqual({ origin: "http://h", path: "/" });
  });
});

describe("loadAgentClass", () => {
  it("loads undici's Agent from its own module, without undici's main entry", async () => {
    const { Agent, lean } = await loadAgentClass();
    // If this fails after an undici upgrade, the file moved: the worker still works through the
    // main entry, but update the path in src/internal/undici-agent.ts to keep its RSS and cold start down.
    expect(lean).toBe(true);
    expect(typeof Agent.prototype.dispatch).toBe("function");
  });
});

let server: Server | undefined;
let http: WorkerHttp | undefined;
afterEach(async () => {
  await http?.destroy();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
  http = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, sockets = 4) {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  http = new WorkerHttp("secret-key", "test-agent", { sockets });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("WorkerHttp", () => {
  it("sends the session headers and body, and reads status, two headers and the text", async () => {
    let seen: {
      method?: string;
      url?: string;
      headers?: IncomingMessage["headers"];
      body?: string;
    } = {};
    const base = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        seen = { method: req.method, url: req.url, headers: req.headers, body };
        res.writeHead(429, { "Content-Type": "text/plain", "Retry-After": "3" });
        res.end("\uFEFFslow dowñ");
      });
    });
    const res = await (http as WorkerHttp).post(
      `${base}/v2/ep/job-done/w/j?isStream=false`,
      "job-done",
      { "X-Request-ID": "j" },
      new TextEncoder().encode('{"output": 1}'),
      { timeoutMs: 5_000 },
    );
    expect(res).toEqual({
      status: 429,
      contentType: "text/plain",
      retryAfter: "3",
      text: "slow dowñ",
    });
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/v2/ep/job-done/w/j?isStream=false");
    expect(seen.body).toBe('{"output": 1}');
    expect(seen.headers?.authorization).toBe("secret-key");
    expect(seen.headers?.["user-agent"]).toBe("test-agent");
    expect(seen.headers?.["x-request-id"]).toBe("j");
    expect(seen.headers?.["content-length"]).toBe("13");
  });

  it("maps a missing answer to RequestTimeoutError and an abort to AbortError", async () => {
    const base = await serve(() => {
      // Never answers.
    });
    const client = http as WorkerHttp;
    const timedOut = client.get(`${base}/slow`, "job-take", { timeoutMs: 200 });
    await expect(timedOut).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(timedOut).rejects.toThrow("job-take: no response within 200 ms");

    const controller = new AbortController();
    const aborted = client.get(`${base}/held`, "job-stop", {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    await expect(
      client.get(`${base}/x`, "job-take", { timeoutMs: 1_000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it("maps a refused connection to ConnectionError without the key in the message", async () => {
    const base = await serve(() => {});
    await new Promise((r) => server?.close(r));
    const error = await (http as WorkerHttp)
      .get(`${base}/v2/ep/job-take/w`, "job-take", { timeoutMs: 1_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^job-take: /);
    expect((error as Error).message).not.toContain("secret-key");
  });
});

describe("sockets", () => {
  it("a burst of requests queues on the bounded sockets instead of opening one each", async () => {
    const sockets = new Set<unknown>();
    const base = await serve((req, res) => {
      sockets.add(req.socket);
      req.resume().on("end", () => res.end("{}"));
    });
    const body = new TextEncoder().encode("{}");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http?.post(`${base}/job-done/w/j${i}`, `result ${i}`, {}, body, { timeoutMs: 5_000 }),
      ),
    );
    expect(results.map((r) => r?.status)).toEqual(Array(20).fill(200));
    expect(sockets.size).toBeGreaterThan(0);
    expect(sockets.size).toBeLessThanOrEqual(4);
  });
});

/**
 * A server that holds every answer until `answerEach(n)`, and counts the sockets opened to it.
 * `settled()` waits until every connect made before it has reached the server: a connect of its
 * own, accepted after those (the accept queue is first in, first out).
 */
async function holdingServer(sockets: number) {
  const held: ServerResponse[] = [];
  let arrived: (() => void) | undefined;
  const base = await serve((req, res) => {
    req.resume().on("end", () => {
      held.push(res);
      arrived?.();
    });
  }, sockets);
  const target = server as Server;
  const opened = new Set<Socket>();
  let connected: (() => void) | undefined;
  target.on("connection", (socket: Socket) => {
    opened.add(socket);
    connected?.();
  });
  return {
    base,
    opened,
    async requests(n: number) {
      while (held.length < n) await new Promise<void>((r) => (arrived = r));
    },
    /** Answers `n` requests one at a time, each once it has arrived. */
    async answerEach(n: number) {
      for (let answered = 0; answered < n; answered++) {
        while (held.length < 1) await new Promise<void>((r) => (arrived = r));
        (held.shift() as ServerResponse).end("{}");
      }
    },
    async settled() {
      const { port } = target.address() as AddressInfo;
      const probe = connect(port, "127.0.0.1");
      await new Promise((r) => probe.once("connect", r));
      const isProbe = (s: Socket) => s.remotePort === probe.localPort;
      while (![...opened].some(isProbe)) await new Promise<void>((r) => (connected = r));
      for (const s of opened) if (isProbe(s)) opened.delete(s);
      probe.destroy();
    },
  };
}

function burst(base: string, n: number) {
  const body = new TextEncoder().encode("{}");
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      http?.post(`${base}/job-done/w/j${i}`, `result ${i}`, {}, body, { timeoutMs: 5_000 }),
    ),
  );
}

describe("new sockets", () => {
  it("a burst opens at most 4 sockets before the server answers on one, then queues for them", async () => {
    const platform = await holdingServer(22);
    const results = burst(platform.base, 20);
    await platform.requests(4);
    await platform.settled();
    // The other 16 wait, bound to no socket, instead of 16 more connects.
    expect(platform.opened.size).toBe(4);
    await platform.answerEach(20);
    expect((await results).map((r) => r?.status)).toEqual(Array(20).fill(200));
    expect(platform.opened.size).toBeLessThanOrEqual(22);
  });

  it("a socket the server closes unanswered frees its place: the requests fail, later ones get through", async () => {
    let dropped = 0;
    const base = await serve((req, res) => {
      req.resume().on("end", () => res.end("{}"));
    });
    (server as Server).prependListener("connection", (socket) => {
      if (dropped < 6) {
        dropped++;
        socket.destroy();
      }
    });
    const failed = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        http?.get(`${base}/job-take/w${i}`, "job-take", { timeoutMs: 5_000 }).catch((e) => e),
      ),
    );
    for (const error of failed) expect(error).toBeInstanceOf(ConnectionError);
    const ok = await http?.get(`${base}/job-take/w`, "job-take", { timeoutMs: 5_000 });
    expect(ok?.status).toBe(200);
  });

  it("after the server closed its idle sockets, a burst again opens at most 4 at a time", async () => {
    const platform = await holdingServer(22);
    const first = burst(platform.base, 8);
    await platform.answerEach(8);
    await first;
    // The server closes every idle socket (as at its keep-alive timeout); wait until they are gone.
    const closed = [...platform.opened].map((s) => new Promise((r) => s.once("close", r)));
    (server as Server).closeIdleConnections();
    await Promise.all(closed);
    platform.opened.clear();
    // Counted as still answered, they would let the whole burst open sockets at once.
    const second = burst(platform.base, 20);
    await platform.requests(4);
    await platform.settled();
    expect(platform.opened.size).toBe(4);
    await platform.answerEach(20);
    expect((await second).map((r) => r?.status)).toEqual(Array(20).fill(200));
  });
});

describe("failure", () => {
  // A connect timeout takes undici's 10 s to happen for real, so the mapping is checked on
  // undici's own error objects.
  it("a connection not opened in time is a connection failure, a response not in time a timeout", () => {
    const connect = failure(new undiciErrors.ConnectTimeoutError(), "job-take", 90_000, undefined);
    expect(connect).toBeInstanceOf(ConnectionError);
    expect(connect.message).toBe("job-take: Connect Timeout Error");
    const headers = failure(new undiciErrors.HeadersTimeoutError(), "job-take", 90_000, undefined);
    expect(headers).toBeInstanceOf(RequestTimeoutError);
    expect(headers.message).toBe("job-take: no response within 90000 ms");
  });
});
