/**
 * What Prism cannot show, against a real HTTP server on 127.0.0.1: rate limiting, 5xx then
 * success, what is and is not retried, problem documents, and a dropped log stream resumed with
 * Last-Event-ID.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RunpodApi, type RunpodApiOptions } from "../../src/api/client.js";
import type { LogLine } from "../../src/api/rest/log-stream.js";
import { APIError, InternalServerError, RateLimitError } from "../../src/core/api-errors.js";

const KEY = "rpa_FAKE_SECRET_KEY_42";
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Fake {
  baseUrl: string;
  port: number;
  requests: Array<{ method: string; url: string; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers
      .splice(0)
      .map((s) => new Promise<void>((r) => s.close(() => r()).closeAllConnections())),
  );
});

async function fake(handler: Handler, port = 0): Promise<Fake> {
  const requests: Fake["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => handler(req, res, requests.length));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const actual = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const problem = (res: ServerResponse, status: number, body: object, headers = {}) => {
  res.writeHead(status, { "content-type": "application/problem+json", ...headers });
  res.end(JSON.stringify({ status, ...body }));
};

const client = (baseUrl: string, options: RunpodApiOptions = {}) =>
  new RunpodApi({ apiKey: KEY, baseUrl, retryDelayMs: 1, ...options });

const pod = { id: "p1", name: "pod", status: "RUNNING" };

describe("rate limits", () => {
  it("a 429 is retried after what the headers ask; api.rateLimit shows the last response's", async () => {
    const server = await fake((_req, res, n) => {
      if (n === 1) {
        problem(
          res,
          429,
          { title: "Too Many Requests", detail: "rate limit exceeded for the minute window" },
          {
            "retry-after": "0",
            ratelimit: '"minute";r=0;t=1, "hour";r=2800;t=1812',
            "ratelimit-policy": '"minute";q=60;w=60, "hour";q=3000;w=3600',
          },
        );
      } else {
        json(res, 200, { pods: [pod] }, { ratelimit: 'minute;t=60;r=59, "hour";r=2799;t=1800' });
      }
    });
    const api = client(server.baseUrl);
    const started = performance.now();
    expect(await api.pods.list()).toEqual([pod]);
    // Retry-After said 0, but the minute window had nothing left for another second.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(server.requests).toHaveLength(2);
    expect(api.rateLimit?.windows).toEqual([
      {
        name: "minute",
        remaining: 59,
        resetSeconds: 60,
        quota: undefined,
        windowSeconds: undefined,
      },
      {
        name: "hour",
        remaining: 2799,
        resetSeconds: 1800,
        quota: undefined,
        windowSeconds: undefined,
      },
    ]);
  });

  it("a window that resets in more than a minute is answered with the error at once", async () => {
    const server = await fake((_req, res) =>
      problem(
        res,
        429,
        { title: "Too Many Requests", detail: "rate limit exceeded for the hour window" },
        { "retry-after": "1812", ratelimit: '"hour";r=0;t=1812' },
      ),
    );
    const error = await client(server.baseUrl)
      .pods.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).problem?.detail).toBe(
      "rate limit exceeded for the hour window",
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("retries", () => {
  it("reads and pod actions are retried after a 5xx; a create is not", async () => {
    const server = await fake((req, res, n) => {
      if (n % 2 === 1)
        return problem(res, 503, { title: "Service Unavailable", detail: "try again" });
      json(res, 200, req.url === "/v2/pods" ? { pods: [pod] } : pod);
    });
    const api = client(server.baseUrl);
    expect(await api.pods.get("p1")).toEqual(pod);
    expect(await api.pods.stop("p1")).toEqual(pod);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v2/pods/p1",
      "GET /v2/pods/p1",
      "POST /v2/pods/p1/action",
      "POST /v2/pods/p1/action",
    ]);
    const error = await api.pods
      .create({ name: "x", image: "i", gpu: { id: "NVIDIA A40" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(5);
    // The key travels only in the Authorization header.
    for (const r of server.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(r.url).not.toContain(KEY);
    }
    expect((error as Error).message).not.toContain(KEY);
  });

  it("a create is retried when its connection was refused: it provably never left", async () => {
    // A port with nothing on it; the server starts there once the first attempt was refused.
    const probe = await fake(() => {});
    const port = probe.port;
    await probe.close();
    servers.pop();
    let server: Fake | undefined;
    const api = client(`http://127.0.0.1:${port}`, {
      fetch: async (input, init) => {
        try {
          return await fetch(input, init);
        } catch (error) {
          server ??= await fake((_req, res) => json(res, 201, pod), port);
          throw error;
        }
      },
    });
    expect(await api.pods.create({ name: "x", image: "i", gpu: { id: "NVIDIA A40" } })).toEqual(
      pod,
    );
    expect(server?.requests.map((r) => r.method)).toEqual(["POST"]);
  });
});

describe("configuration", () => {
  it("RUNPOD_API_BASE_URL and RUNPOD_API_KEY are used when the options are not given", async () => {
    const server = await fake((_req, res) => json(res, 200, { keys: [] }));
    const saved = { url: process.env.RUNPOD_API_BASE_URL, key: process.env.RUNPOD_API_KEY };
    process.env.RUNPOD_API_BASE_URL = server.baseUrl;
    process.env.RUNPOD_API_KEY = KEY;
    try {
      expect(await new RunpodApi().sshKeys.list()).toEqual([]);
    } finally {
      for (const [name, value] of [
        ["RUNPOD_API_BASE_URL", saved.url],
        ["RUNPOD_API_KEY", saved.key],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(server.requests[0]).toMatchObject({ url: "/v2/account/ssh-keys" });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});

describe("problem documents", () => {
  it("a 422 keeps title, detail and errors[] and names the offending fields", async () => {
    const server = await fake((_req, res) =>
      problem(res, 422, {
        title: "Unprocessable Entity",
        detail: "Request validation failed.",
        errors: ["$.gpu.id: required", "$: additional properties 'bogus' not allowed"],
      }),
    );
    const error = await client(server.baseUrl)
      .pods.update("p1", { name: "n" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    const e = error as APIError;
    expect(e.status).toBe(422);
    expect(e.problem).toEqual({
      title: "Unprocessable Entity",
      status: 422,
      detail: "Request validation failed.",
      errors: ["$.gpu.id: required", "$: additional properties 'bogus' not allowed"],
    });
    expect(e.message).toContain("invalid fields: gpu.id, bogus");
    expect(server.requests).toHaveLength(1);
  });
});

describe("log streams", () => {
  it("a dropped stream resumes with Last-Event-ID, losing and repeating nothing; abort ends it", async () => {
    const event = (id: string, line: string) =>
      `id: ${id}\ndata: ${JSON.stringify({ ts: id.split("/")[0], source: "container", line })}\n\n`;
    const server = await fake((_req, res, n) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      if (n === 1) {
        res.write(": keep-alive comment\n\n");
        res.write(event("2026-12-01T10:00:00Z/000000000001", "one"));
        // The second event arrives in two pieces, then the connection is cut.
        const second = event("2026-12-01T10:00:01Z/000000000002", "two");
        res.write(second.slice(0, 20));
        res.write(second.slice(20), () => res.socket?.destroy());
      } else {
        res.write(event("2026-12-01T10:00:02Z/000000000003", "three"));
      }
    });
    const controller = new AbortController();
    const lines: LogLine[] = [];
    for await (const line of client(server.baseUrl).pods.logs("p1", {
      tail: 0,
      signal: controller.signal,
    })) {
      lines.push(line);
      if (lines.length === 3) controller.abort();
    }
    expect(lines.map((l) => [l.line, l.id])).toEqual([
      ["one", "2026-12-01T10:00:00Z/000000000001"],
      ["two", "2026-12-01T10:00:01Z/000000000002"],
      ["three", "2026-12-01T10:00:02Z/000000000003"],
    ]);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/v2/pods/p1/logs?tail=0",
      "/v2/pods/p1/logs?tail=0",
    ]);
    expect(server.requests[0]?.headers.accept).toBe("text/event-stream");
    expect(server.requests[0]?.headers["last-event-id"]).toBeUndefined();
    expect(server.requests[1]?.headers["last-event-id"]).toBe("2026-12-01T10:00:01Z/000000000002");
  });

  it("breaking out of the loop closes the connection", async () => {
    let closed: () => void = () => {};
    const gone = new Promise<void>((r) => {
      closed = r;
    });
    const server = await fake((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('id: 1\ndata: {"ts":"t","source":"system","line":"boot"}\n\n');
      req.socket.on("close", closed);
    });
    for await (const line of client(server.baseUrl).endpoints.workerLogs("e1", "w1")) {
      expect(line).toEqual({ ts: "t", source: "system", line: "boot", id: "1" });
      break;
    }
    await gone;
    expect(server.requests.map((r) => r.url)).toEqual(["/v2/serverless/e1/workers/w1/logs"]);
  });
});
