/**
 * `LoadBalancerEndpoint` against real HTTP servers on 127.0.0.1 (spec load-balancing.md §3–§5):
 * what crosses the wire, each affinity form, the platform's refusals as typed errors, the retry
 * rule (only what the platform did not run), streaming, health and validation.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AbortError,
  AffinityWorkerGoneError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  LoadBalancerEndpoint,
  type LoadBalancerEndpointOptions,
  NotFoundError,
  NoWorkersAvailableError,
  RequestTimeoutError,
  ValidationError,
  WorkerTimeoutError,
} from "../../src/endpoint/index.js";
import { snapshotEnv } from "../helpers/env.js";
import { freePort, type ScriptedServer, startScriptedServer } from "../helpers/scripted-server.js";

let server: ScriptedServer;
beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(async () => {
  await server.close();
});

const WORKER = { "x-runpod-worker-id": "pod-a" };
const lb = (options: LoadBalancerEndpointOptions = {}) =>
  new LoadBalancerEndpoint("ep-lb", {
    apiKey: "test-key",
    baseUrl: server.url,
    retryDelayMs: 0,
    ...options,
  });

/** Runs `fn` and returns what it threw (failing if it did not). */
async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("base URL (§3)", () => {
  let restore: () => void;
  beforeEach(() => {
    restore = snapshotEnv();
    delete process.env.RUNPOD_ENDPOINT_BASE_URL;
  });
  afterEach(() => restore());

  it("defaults to https://<id>.api.runpod.ai and follows RUNPOD_ENDPOINT_BASE_URL's host", () => {
    expect(new LoadBalancerEndpoint("abc123").baseUrl).toBe("https://abc123.api.runpod.ai");
    process.env.RUNPOD_ENDPOINT_BASE_URL = "http://localhost:8080/v2";
    expect(new LoadBalancerEndpoint("abc123").baseUrl).toBe("http://abc123.localhost:8080");
    expect(new LoadBalancerEndpoint("abc123", { baseUrl: "http://127.0.0.1:9/x/" }).baseUrl).toBe(
      "http://127.0.0.1:9/x",
    );
  });
});

describe("requests", () => {
  it("sends method, path, query, body and headers unchanged, with Bearer auth", async () => {
    server.reply({ status: 201, json: { made: true }, headers: WORKER });
    const client = lb();
    const res = await client.fetch("/v1/items?limit=2", {
      method: "POST",
      body: "a,b\n1,2",
      headers: { "content-type": "text/csv", "x-trace": "t-1" },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ made: true });
    const [req] = server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/v1/items");
    expect(req?.query).toEqual({ limit: "2" });
    expect(req?.text).toBe("a,b\n1,2");
    expect(req?.headers["content-type"]).toBe("text/csv");
    expect(req?.headers["x-trace"]).toBe("t-1");
    expect(req?.headers.authorization).toBe("Bearer test-key");
    expect(req?.headers["user-agent"]).toMatch(/^runpod-ts\//);
    expect(req?.headers["x-runpod-worker-id"]).toBeUndefined();
    expect(client.lastWorkerId).toBe("pod-a");
  });

  it("returns a worker's own error answers untouched", async () => {
    server.reply(
      { status: 422, json: { detail: "bad prompt" }, headers: WORKER },
      { status: 404, json: { error: "no such route" }, headers: WORKER },
      { status: 500, text: "worker crashed", headers: WORKER },
    );
    const client = lb();
    const unprocessable = await client.fetch("/generate", { method: "POST", body: "{}" });
    expect(unprocessable.status).toBe(422);
    expect(await unprocessable.json()).toEqual({ detail: "bad prompt" });
    const missing = await client.fetch("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no such route" });
    const crashed = await client.fetch("/generate", { method: "POST", body: "{}" });
    expect(crashed.status).toBe(500);
    expect(await crashed.text()).toBe("worker crashed");
    // A worker's 500 is the worker's answer: never sent again.
    expect(server.requests).toHaveLength(3);
  });

  it("streams the body as the worker writes it", async () => {
    let release: () => void = () => {};
    const streaming: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", ...WORKER });
      res.write("data: 1\n\n");
      release = () => res.end("data: 2\n\n");
    });
    await new Promise<void>((r) => streaming.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(streaming.address() as AddressInfo).port}`;
      const res = await lb({ baseUrl: url }).fetch("/stream");
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      // The first event arrives while the server still holds the second.
      expect(decoder.decode((await reader.read()).value)).toBe("data: 1\n\n");
      release();
      expect(decoder.decode((await reader.read()).value)).toBe("data: 2\n\n");
      expect((await reader.read()).done).toBe(true);
    } finally {
      streaming.closeAllConnections();
      await new Promise((r) => streaming.close(r));
    }
  });
});

describe("affinity (§5)", () => {
  it("sends each form of X-Runpod-Worker-Id", async () => {
    server.handle(() => ({ status: 200, text: "ok", headers: WORKER }));
    const client = lb();
    await client.fetch("/a", { worker: { id: "pod-a" } });
    await client.fetch("/a", { worker: { id: "pod-a", affinity: "soft" } });
    await client.fetch("/a", { worker: { id: "pod-a", affinity: "strict" } });
    await client.fetch("/a", { worker: { id: "pod-a", affinity: "strict-resume" } });
    expect(server.requests.map((r) => r.headers["x-runpod-worker-id"])).toEqual([
      "pod-a",
      "pod-a",
      "strict pod-a",
      "strict-resume pod-a",
    ]);
  });

  it("pins to the worker named by the last response", async () => {
    server.reply(
      { status: 200, text: "1", headers: { "x-runpod-worker-id": "pod-b" } },
      { status: 200, text: "2", headers: { "x-runpod-worker-id": "pod-b" } },
    );
    const client = lb();
    await client.fetch("/session", { method: "POST", body: "start" });
    const id = client.lastWorkerId as string;
    await client.fetch("/session", {
      method: "POST",
      body: "next",
      worker: { id, affinity: "strict" },
    });
    expect(server.requests[1]?.headers["x-runpod-worker-id"]).toBe("strict pod-b");
  });

  it("throws AffinityWorkerGoneError (a NotFoundError) for a gone pinned worker, without retrying", async () => {
    server.reply({ status: 404, json: { error: "affinity_worker_gone" } });
    const error = await thrown(() =>
      lb().fetch("/chat", {
        method: "POST",
        body: "{}",
        worker: { id: "pod-z", affinity: "strict" },
      }),
    );
    expect(error).toBeInstanceOf(AffinityWorkerGoneError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as AffinityWorkerGoneError).workerId).toBe("pod-z");
    expect((error as AffinityWorkerGoneError).status).toBe(404);
    expect(error.message).toMatch(/POST \/chat on endpoint ep-lb failed with HTTP 404/);
    expect(server.requests).toHaveLength(1);
  });

  it("throws WorkerTimeoutError (a BadRequestError) for either wording of the wait running out", async () => {
    server.reply(
      { status: 400, json: { error: "worker_timeout" } },
      { status: 400, json: { error: "timed out waiting for worker" } },
    );
    const pin = { worker: { id: "pod-y", affinity: "strict-resume" as const } };
    for (const _ of [1, 2]) {
      const error = await thrown(() => lb().fetch("/x", pin));
      expect(error).toBeInstanceOf(WorkerTimeoutError);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as WorkerTimeoutError).workerId).toBe("pod-y");
    }
    expect(server.requests).toHaveLength(2);
  });

  it("recognises the platform's reason even when the answer names a worker", async () => {
    const body = JSON.stringify({ error: "affinity_worker_gone" });
    server.reply({
      status: 404,
      text: body,
      headers: { ...WORKER, "content-length": String(body.length) },
    });
    const error = await thrown(() =>
      lb().fetch("/x", { worker: { id: "pod-a", affinity: "strict" } }),
    );
    expect(error).toBeInstanceOf(AffinityWorkerGoneError);
  });
});

describe("retries: only what the platform did not run", () => {
  it("sends a POST again after 'no workers available', with the same body", async () => {
    server.reply(
      { status: 503, json: { error: "no workers available" } },
      { status: 200, json: { ok: 1 }, headers: WORKER },
    );
    const res = await lb().fetch("/generate", { method: "POST", body: '{"p":1}' });
    expect(await res.json()).toEqual({ ok: 1 });
    expect(server.requests.map((r) => r.text)).toEqual(['{"p":1}', '{"p":1}']);
  });

  it("gives up with NoWorkersAvailableError after maxRetries", async () => {
    server.handle(() => ({ status: 503, json: { error: "no workers available" } }));
    const error = await thrown(() => lb({ maxRetries: 1 }).fetch("/x"));
    expect(error).toBeInstanceOf(NoWorkersAvailableError);
    expect(server.requests).toHaveLength(2);
  });

  it("never sends a stream body twice", async () => {
    server.handle(() => ({ status: 503, json: { error: "no workers available" } }));
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode("once"));
        c.close();
      },
    });
    const error = await thrown(() => lb().fetch("/upload", { method: "PUT", body }));
    expect(error).toBeInstanceOf(NoWorkersAvailableError);
    expect(server.requests.map((r) => r.text)).toEqual(["once"]);
  });

  it("does not re-send a POST on the platform's 5xx, a cut connection or a timeout", async () => {
    server.reply({ status: 502, text: "bad gateway" }, { drop: true }, { hang: true });
    const client = lb({ timeoutMs: 300 });
    const post = { method: "POST", body: "{}" };
    expect(await thrown(() => client.fetch("/a", post))).toBeInstanceOf(InternalServerError);
    const cut = await client.fetch("/b", post);
    expect(await thrown(() => cut.text())).toBeInstanceOf(Error);
    expect(await thrown(() => client.fetch("/c", post))).toBeInstanceOf(RequestTimeoutError);
    expect(server.requests.map((r) => r.path)).toEqual(["/a", "/b", "/c"]);
  });

  it("retries a refused connection (nothing was sent), then reports it", async () => {
    let calls = 0;
    const counting: typeof fetch = (url, init) => {
      calls++;
      return fetch(url, init);
    };
    const port = await freePort();
    const error = await thrown(() =>
      lb({ baseUrl: `http://127.0.0.1:${port}`, fetch: counting }).fetch("/x", {
        method: "POST",
        body: "{}",
      }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(calls).toBe(3);
  });
});

describe("the platform's other answers", () => {
  it("maps them to the error tree: 401, 'not allowed for QB API'", async () => {
    server.reply(
      { status: 401, text: "unauthorized" },
      { status: 400, json: { error: "not allowed for QB API" } },
    );
    const unauthorized = await thrown(() => lb().fetch("/x"));
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect((unauthorized as AuthenticationError).status).toBe(401);
    expect(unauthorized.message).not.toContain("test-key");
    const queue = await thrown(() => lb().fetch("/x"));
    expect(queue).toBeInstanceOf(BadRequestError);
    expect((queue as BadRequestError).body).toEqual({ error: "not allowed for QB API" });
  });

  it("without a key, fails before sending anything", async () => {
    const restore = snapshotEnv();
    delete process.env.RUNPOD_API_KEY;
    try {
      const error = await thrown(() =>
        new LoadBalancerEndpoint("ep", { baseUrl: server.url }).fetch("/x"),
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(server.requests).toHaveLength(0);
    } finally {
      restore();
    }
  });

  it("aborts through the caller's signal", async () => {
    server.reply({ hang: true });
    const controller = new AbortController();
    const pending = lb().fetch("/slow", { signal: controller.signal });
    await server.received(1);
    controller.abort();
    expect(await thrown(() => pending)).toBeInstanceOf(AbortError);
  });
});

describe("health()", () => {
  it("reads 204, 200 and a worker's 503 by the status rule (§2.2)", async () => {
    server.reply(
      { status: 204, headers: WORKER },
      { status: 200, json: { status: "ready" }, headers: WORKER },
      { status: 503, json: { status: "draining" }, headers: WORKER },
    );
    const client = lb({ healthPath: "/healthz" });
    expect(await client.health()).toEqual({
      state: "initializing",
      status: 204,
      workerId: "pod-a",
    });
    expect(await client.health()).toEqual({ state: "ready", status: 200, workerId: "pod-a" });
    expect((await client.health()).state).toBe("unhealthy");
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /healthz",
      "GET /healthz",
      "GET /healthz",
    ]);
  });
});

describe("validation", () => {
  it("names what is wrong in options, paths and requests", async () => {
    const client = lb();
    const message = async (fn: () => unknown) => {
      const e = await thrown(async () => fn());
      expect(e).toBeInstanceOf(ValidationError);
      return e.message;
    };
    expect(await message(() => new LoadBalancerEndpoint("a/b"))).toMatch(/endpoint id/);
    expect(await message(() => lb({ retries: 2 } as never))).toMatch(/unknown option "retries"/);
    expect(await message(() => lb({ baseUrl: "ftp://x" }))).toMatch(/baseUrl: must be a valid url/);
    expect(await message(() => client.fetch("generate"))).toMatch(
      /request path: must start with "\/"/,
    );
    expect(
      await message(() =>
        client.fetch("/x", { worker: { id: "pod", affinity: "sticky" as never } }),
      ),
    ).toMatch(/worker\.affinity: must be one of "soft", "strict", "strict-resume"/);
    expect(await message(() => client.fetch("/x", { worker: { id: "two words" } }))).toMatch(
      /worker\.id: must not contain whitespace/,
    );
    expect(await message(() => client.fetch("/x", { body: "x" }))).toMatch(
      /body: a GET request cannot have a body/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
