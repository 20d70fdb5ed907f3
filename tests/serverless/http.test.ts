/** The worker's HTTP client over real loopback sockets: answers, failures mapped to our errors. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, ConnectionError, RequestTimeoutError } from "../../src/core/api-errors.js";
import { limitConnects, loadAgentClass } from "../../src/internal/undici-agent.js";
import { splitUrl } from "../../src/internal/undici-dispatch.js";
import { WorkerHttp } from "../../src/serverless/http.js";

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

describe("limitConnects", () => {
  it("lets at most `max` connection attempts run at once, the rest in turn, and hands each its socket", () => {
    const pending: Array<() => void> = [];
    const connect = (_opts: unknown, callback: (e: null, s: never) => void) => {
      pending.push(() => callback(null, pending.length as never));
    };
    const limited = limitConnects(connect as never, 2);
    const got: number[] = [];
    for (let i = 0; i < 5; i++) {
      limited({ hostname: "h", protocol: "http:", port: "80" }, (_e, socket) => {
        got.push(socket as unknown as number);
      });
    }
    expect(pending).toHaveLength(2);
    pending.shift()?.();
    expect(pending).toHaveLength(2); // one finished, the third started
    while (pending.length > 0) pending.shift()?.();
    expect(got).toHaveLength(5);
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

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  http = new WorkerHttp("secret-key", "test-agent", { sockets: 4 });
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
