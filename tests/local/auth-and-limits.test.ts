/** API key checks, cross-site refusal, body limits (§B.6) and every bad-input answer: JSON errors, no crash. */
import { request as httpRequest } from "node:http";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { refuseCrossSite } from "../../src/local/cross-site.js";
import type { LocalPlatform } from "../../src/local/index.js";
import { RUN_BODY_LIMIT, RUNSYNC_BODY_LIMIT } from "../../src/protocol/run-request.js";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";

describe("auth", () => {
  it("with an API key, accepts Bearer and raw keys and answers 401 otherwise", async () => {
    const p = await startPlatform({ apiKey: "sekret-key" });
    const body = { input: {} };
    expect(
      (await client(p, { authorization: "Bearer sekret-key" }).post("/run", body)).status,
    ).toBe(200);
    expect((await client(p, { authorization: "sekret-key" }).post("/run", body)).status).toBe(200);
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: "sekret-key2" },
    ];
    for (const headers of refused) {
      const res = await client(p, headers).post("/run", body);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "unauthorized: missing or invalid API key" });
      expect(JSON.stringify(res.json)).not.toContain("sekret");
    }
    expect((await client(p).get("/health")).status).toBe(401);
    expect((await fetch(`${p.endpointUrl}/job-take/w1?gpu=x`)).status).toBe(401);
    expect(p.health().jobs.inQueue).toBe(2);
  });

  it("a worker with the raw key from workerEnv is let in", async () => {
    const p = await startPlatform({ apiKey: "k-123", longPollMs: 20 });
    expect(p.workerEnv("a").RUNPOD_AI_API_KEY).toBe("k-123");
    const worker = workerFor(p, "a");
    expect((await worker.ping()).status).toBe(200);
    expect(await worker.take()).toBeUndefined();
  });

  it("without an API key, the platform is open", async () => {
    const p = await startPlatform();
    expect((await client(p, { authorization: "Bearer anything" }).get("/health")).status).toBe(200);
    expect(p.workerEnv().RUNPOD_AI_API_KEY).toBe("local");
  });
});

describe("body limits", () => {
  const bodyOfSize = (bytes: number) => {
    const head = '{"input": {"blob": "';
    const tail = '"}}';
    return head + "x".repeat(bytes - head.length - tail.length) + tail;
  };

  it("run refuses a body over 10 MB with 413, and takes one just under", async () => {
    const p = await startPlatform();
    const api = client(p);
    const over = await api.post("/run", bodyOfSize(RUN_BODY_LIMIT + 1));
    expect(over.status).toBe(413);
    expect(over.json).toEqual({ error: "request body is larger than 10 MB" });
    expect((await api.post("/run", bodyOfSize(RUN_BODY_LIMIT))).status).toBe(200);
  });

  it("runsync allows 20 MB", async () => {
    const p = await startPlatform();
    const api = client(p);
    const over = await api.post("/runsync?wait=1000", bodyOfSize(RUNSYNC_BODY_LIMIT + 1));
    expect(over.status).toBe(413);
    expect(over.json).toEqual({ error: "request body is larger than 20 MB" });
    const under = await api.post("/runsync?wait=1000", bodyOfSize(RUN_BODY_LIMIT + 1));
    expect(under.json.status).toBe("IN_QUEUE");
  });

  it("cuts off a chunked body without Content-Length as soon as it passes the limit", async () => {
    const p = await startPlatform();
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"input": {"blob": "'));
      },
      pull(controller) {
        // An endless body: only the platform's limit can end this request.
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${p.endpointUrl}/run`, {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "request body is larger than 10 MB" });
    expect(sent).toBeGreaterThan(RUN_BODY_LIMIT - chunk.byteLength);
    expect((await client(p).get("/health")).status).toBe(200);
  });
});

describe("bad input", () => {
  const cases: Array<[string, string, string | undefined, number, string | RegExp]> = [
    ["POST", "/run", "{not json", 400, "request body is not valid JSON"],
    ["POST", "/run", "", 400, "request body is empty; expected JSON"],
    ["POST", "/run", "[]", 400, "invalid request: expected object"],
    ["POST", "/run", '"text"', 400, "invalid request: expected object"],
    ["POST", "/run", "{}", 400, "invalid request: input: required, and must be a JSON object"],
    [
      "POST",
      "/run",
      '{"input": [1]}',
      400,
      "invalid request: input: required, and must be a JSON object",
    ],
    [
      "POST",
      "/run",
      '{"input": null}',
      400,
      "invalid request: input: required, and must be a JSON object",
    ],
    [
      "POST",
      "/runsync",
      '{"input": "x"}',
      400,
      "invalid request: input: required, and must be a JSON object",
    ],
    [
      "POST",
      "/run",
      '{"input": {}, "policy": {"ttl": "soon"}}',
      400,
      "invalid request: policy.ttl: expected number",
    ],
    [
      "POST",
      "/run",
      '{"input": {}, "policy": {"speed": 1}}',
      400,
      'invalid request: policy: unknown key "speed"',
    ],
    [
      "POST",
      "/run",
      '{"input": {}, "s3Config": {"accessId": "a"}}',
      400,
      /^invalid request: s3Config\.accessSecret: expected string/,
    ],
    ["POST", "/runsync?wait=soon", '{"input": {}}', 400, "query wait: must be a whole number"],
    ["GET", "/status-sync/x-u1?wait=-5", undefined, 400, "query wait: must be a whole number"],
    ["GET", "/status/missing-u1", undefined, 404, "job missing-u1 not found"],
    ["GET", "/stream/missing-u1?wait=0", undefined, 404, "job missing-u1 not found"],
    ["GET", "/status-sync/missing-u1", undefined, 404, "job missing-u1 not found"],
    ["POST", "/retry/missing-u1", undefined, 404, "job missing-u1 not found"],
    ["GET", "/run", undefined, 405, "method GET not allowed on /run; use POST"],
    [
      "DELETE",
      "/status/x",
      undefined,
      405,
      "method DELETE not allowed on /status/:id; use GET or POST",
    ],
    ["GET", "/purge-queue", undefined, 405, "method GET not allowed on /purge-queue; use POST"],
    ["POST", "/health", "{}", 405, "method POST not allowed on /health; use GET"],
    [
      "POST",
      "/job-take/w1",
      undefined,
      405,
      "method POST not allowed on /job-take/:workerId; use GET",
    ],
    [
      "GET",
      "/job-done/w1/j1",
      undefined,
      405,
      "method GET not allowed on /job-done/:workerId/:jobId; use POST",
    ],
    ["GET", "/nothing-here", undefined, 404, "no route for GET /v2/local/nothing-here"],
  ];
  for (const [method, path, body, status, error] of cases) {
    it(`${method} ${path} ${body ?? ""} → ${status}`, async () => {
      const p = await startPlatform();
      const res = await client(p).call(method, path, body);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      if (typeof error === "string") expect(res.json).toEqual({ error });
      else expect(res.json.error).toMatch(error);
    });
  }

  it("405 answers carry Allow", async () => {
    const p = await startPlatform();
    const res = await client(p).call("PUT", "/stream/x");
    expect(res.headers.get("allow")).toBe("GET, POST");
  });

  it("an unknown endpoint id is 404, and unknown top-level paths too", async () => {
    const p = await startPlatform({ endpointId: "my-ep" });
    const other = await fetch(`${p.url}/v2/other-ep/run`, { method: "POST", body: "{}" });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({
      error: "unknown endpoint other-ep; this platform serves my-ep",
    });
    const stray = await fetch(`${p.url}/favicon.ico`);
    expect(stray.status).toBe(404);
    expect(await stray.json()).toEqual({ error: "no route for GET /favicon.ico" });
  });

  it("the server keeps serving after every kind of bad request", async () => {
    const p = await startPlatform();
    const api = client(p);
    await Promise.all([
      api.post("/run", "{"),
      api.post("/run", "[]"),
      api.call("PATCH", "/run"),
      fetch(`${p.endpointUrl}/job-done/w/j`, { method: "POST", body: "\u0000\u0001" }),
      fetch(`${p.endpointUrl}/job-stream/w/j`, { method: "POST" }),
      fetch(`${p.endpointUrl}/ping/w?status=unhealthy`),
    ]);
    const worker = workerFor(p);
    const { id } = (await api.post("/run", { input: { still: "alive" } })).json;
    expect(await worker.take()).toEqual({ id, input: { still: "alive" } });
  });
});

describe("cross-site requests", () => {
  /** One request with exactly these headers (`host` included), as a browser or a proxy sends it. */
  function rawRequest(
    p: LocalPlatform,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: p.port, method, path, headers }, (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  /** A simple POST as a web page would send it (text/plain needs no CORS permission). */
  function fromPage(p: LocalPlatform, path: string, headers: Record<string, string>) {
    return rawRequest(
      p,
      "POST",
      `/v2/local${path}`,
      { "content-type": "text/plain", ...headers },
      JSON.stringify({ input: { from: "a page" } }),
    );
  }

  it("refuses a page of another site, even one that points its name at 127.0.0.1", async () => {
    const p = await startPlatform();
    const evil = await fromPage(p, "/run", { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({
      error:
        "cross-site request refused: web pages may call this platform only from its own origin or a loopback one, not from https://evil.example",
    });
    expect((await fromPage(p, "/run", { origin: "null" })).status).toBe(403);
    expect((await fromPage(p, "/cancel/any", { origin: "https://evil.example" })).status).toBe(403);
    expect(p.health().jobs.inQueue).toBe(0);
  });

  it("refuses Sec-Fetch-Site cross-site and same-site, with or without an Origin", async () => {
    const p = await startPlatform();
    const sameSite = await fromPage(p, "/run", { "sec-fetch-site": "same-site" });
    expect(sameSite.status).toBe(403);
    expect(JSON.parse(sameSite.body).error).toContain(
      "not from another origin (Sec-Fetch-Site: same-site)",
    );
    for (const headers of [
      { "sec-fetch-site": "cross-site" } as Record<string, string>,
      { "sec-fetch-site": "same-site", origin: "http://localhost:3000" },
    ]) {
      expect((await fromPage(p, "/run", headers)).status).toBe(403);
    }
    expect(p.health().jobs.inQueue).toBe(0);
  });

  it("on a loopback bind, refuses any Host that is not a loopback name, on every route", async () => {
    const p = await startPlatform();
    for (const [method, path] of [
      ["POST", "/v2/local/run"],
      ["GET", "/v2/local/health"],
      ["GET", "/v2/local/job-take/w1"],
      ["GET", "/v2/local/job-stop/w1"],
      ["GET", "/health"],
      ["GET", "/"],
      ["GET", "/_dashboard/api/state"],
      ["GET", "/no/such/route"],
    ] as const) {
      const res = await rawRequest(p, method, path, { host: `rebound.example:${p.port}` });
      expect(res.status, path).toBe(403);
      expect(JSON.parse(res.body).error).toBe(
        `request for host rebound.example:${p.port} refused: this platform listens on loopback and answers only requests addressed to localhost, 127.0.0.1 or [::1]`,
      );
    }
    expect(p.health().jobs.inQueue).toBe(0);
    for (const host of [`localhost:${p.port}`, `127.0.0.1:${p.port}`, "[::1]", "LOCALHOST"]) {
      expect((await rawRequest(p, "GET", "/health", { host })).status).toBe(200);
    }
  });

  it("lets in same-origin and loopback pages, and clients that send neither header", async () => {
    const p = await startPlatform();
    const self = `http://127.0.0.1:${p.port}`;
    expect(
      (await fromPage(p, "/run", { origin: self, "sec-fetch-site": "same-origin" })).status,
    ).toBe(200);
    // A dev server on localhost:3000 proxying to the platform forwards its page's Origin.
    expect((await fromPage(p, "/run", { origin: "http://localhost:3000" })).status).toBe(200);
    expect((await fromPage(p, "/run", { origin: "http://[::1]:5173" })).status).toBe(200);
    expect((await fromPage(p, "/run", { "sec-fetch-site": "none" })).status).toBe(200);
    expect((await client(p).post("/run", { input: {} })).status).toBe(200);
    expect(p.health().jobs.inQueue).toBe(5);
  });

  it("on a wider bind, any Host is answered, and pages served from the host they address pass", async () => {
    const app = new Hono().use(refuseCrossSite("0.0.0.0")).post("/run", (c) => c.text("ok"));
    const call = (headers: Record<string, string>) =>
      app.request("/run", { method: "POST", headers: { host: "gpu-box.lan:8000", ...headers } });
    expect((await call({})).status).toBe(200);
    expect((await call({ origin: "http://gpu-box.lan:8000" })).status).toBe(200);
    expect((await call({ origin: "http://other.lan:8000" })).status).toBe(403);
    expect((await call({ origin: "http://gpu-box.lan:3000" })).status).toBe(403);
    expect((await call({ origin: "http://127.0.0.1:3000" })).status).toBe(200);
    expect((await call({ "sec-fetch-site": "cross-site" })).status).toBe(403);
  });
});
