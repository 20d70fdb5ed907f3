/** Every failure becomes one class of the package's hierarchy, and retries follow the policy. */
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  Endpoint,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
} from "../../src/endpoint/index.js";
import { freePort } from "../helpers/scripted-server.js";
import { FAST, KEY, useServer } from "./setup.js";

const ctx = useServer();
const HEALTH = {
  jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
  workers: { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 0, unhealthy: 0 },
};

describe("HTTP errors", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [413, PayloadTooLargeError],
    [429, RateLimitError],
    [500, InternalServerError],
    [418, APIError],
  ])("HTTP %i becomes %o with status, body and request id", async (status, cls) => {
    ctx.server.reply({
      status,
      json: { error: "nope" },
      headers: { "x-request-id": "req-7" },
    });
    const error = await ctx
      .endpoint({ maxRetries: 0 })
      .run({ a: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(APIError);
    const e = error as APIError;
    expect(e.status).toBe(status);
    expect(e.body).toEqual({ error: "nope" });
    expect(e.requestId).toBe("req-7");
    expect(e.message).toContain(`POST /ep-1/run failed with HTTP ${status}`);
    expect(e.message).not.toContain(KEY);
  });

  it("a non-JSON error body is kept as text", async () => {
    ctx.server.reply({ status: 502, text: "<html>Bad gateway</html>" });
    const e = await ctx
      .endpoint({ maxRetries: 0 })
      .health()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InternalServerError);
    expect((e as APIError).body).toBe("<html>Bad gateway</html>");
  });

  it("a 2xx body that is not JSON is an InvalidResponseError", async () => {
    ctx.server.reply({ text: "garbage{" });
    const e = await ctx
      .endpoint()
      .run(1)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidResponseError);
    expect((e as InvalidResponseError).body).toBe("garbage{");
  });

  it("a JSON body of the wrong shape is an InvalidResponseError", async () => {
    ctx.server.reply({ json: { status: "IN_QUEUE" } });
    const e = await ctx
      .endpoint()
      .run(1)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidResponseError);
    expect((e as Error).message).toMatch(/POST \/run is not a valid response: expected a status/);
  });

  it("a missing API key fails at the first call to Runpod's API, naming the option and the env var", async () => {
    await withoutEnv(["RUNPOD_API_KEY", "RUNPOD_ENDPOINT_BASE_URL"], async () => {
      // The default base URL is Runpod's: the call fails before anything is sent anywhere.
      const e = await new Endpoint("ep-1").run(1).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AuthenticationError);
      expect((e as AuthenticationError).status).toBeUndefined();
      expect((e as Error).message).toContain('"apiKey"');
      expect((e as Error).message).toContain("RUNPOD_API_KEY");
    });
  });

  it("another base URL with no key configured gets requests without a key, and its 401 says so", async () => {
    await withoutEnv(["RUNPOD_API_KEY"], async () => {
      ctx.server.reply({ json: { id: "j1", status: "IN_QUEUE" } }, { status: 401, json: {} });
      const ep = new Endpoint("ep-1", { baseUrl: ctx.server.baseUrl, ...FAST });
      expect((await ep.run(1)).id).toBe("j1");
      expect(ctx.server.requests[0]?.headers.authorization).toBeUndefined();
      const e = await ep.run(2).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AuthenticationError);
      expect((e as Error).message).toContain("no API key was sent");
    });
  });

  it("a 404 from a base URL without /v2 says where the endpoints are", async () => {
    ctx.server.reply({ status: 404, text: "404 Not Found" }, { status: 404, json: {} });
    const bare = ctx.endpoint({ baseUrl: ctx.server.url });
    const e = await bare.run(1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    expect((e as Error).message).toContain("the base URL has no /v2");
    // With /v2, a 404 is about the job or the endpoint: no hint.
    const right = await ctx
      .endpoint()
      .run(1)
      .catch((x: unknown) => x);
    expect((right as Error).message).not.toContain("/v2");
  });
});

async function withoutEnv(names: string[], body: () => Promise<void>): Promise<void> {
  const saved = names.map((n) => [n, process.env[n]] as const);
  for (const n of names) delete process.env[n];
  try {
    await body();
  } finally {
    for (const [n, v] of saved) if (v !== undefined) process.env[n] = v;
  }
}

describe("retries of reads", () => {
  it("429 with Retry-After, then success", async () => {
    ctx.server.reply(
      { status: 429, json: { error: "slow down" }, headers: { "retry-after": "0" } },
      { json: HEALTH },
    );
    expect(await ctx.endpoint().health()).toEqual(HEALTH);
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("waits at least Retry-After before retrying", async () => {
    ctx.server.reply({ status: 429, headers: { "retry-after": "1" } }, { json: HEALTH });
    const started = performance.now();
    await ctx.endpoint().health();
    // A lower bound only (timers never fire early by more than rounding): retry delays are 1-5 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it("5xx then success", async () => {
    ctx.server.reply({ status: 500 }, { status: 503, text: "busy" }, { json: HEALTH });
    expect(await ctx.endpoint().health()).toEqual(HEALTH);
    expect(ctx.server.requests).toHaveLength(3);
  });

  it("408 is retried", async () => {
    ctx.server.reply({ status: 408 }, { json: { id: "j", status: "IN_QUEUE" } });
    const job = Endpoint.job("ep-1", "j", { apiKey: KEY, baseUrl: ctx.server.baseUrl, ...FAST });
    expect((await job.status()).status).toBe("IN_QUEUE");
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("5xx exhausted: maxRetries + 1 attempts, then the last error", async () => {
    ctx.server.handle(() => ({ status: 500, json: { error: "down" } }));
    const e = await ctx
      .endpoint({ maxRetries: 3 })
      .health()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InternalServerError);
    expect(ctx.server.requests).toHaveLength(4);
  });

  it("a RateLimitError carries retryAfterMs when retries are exhausted", async () => {
    ctx.server.reply({ status: 429, headers: { "retry-after": "7" } });
    const e = await ctx
      .endpoint({ maxRetries: 0 })
      .health()
      .catch((x: unknown) => x);
    expect((e as RateLimitError).retryAfterMs).toBe(7000);
  });

  it("4xx other than 408/429 is not retried", async () => {
    ctx.server.reply({ status: 404, json: { error: "no job" } });
    const job = Endpoint.job("ep-1", "gone", { apiKey: KEY, baseUrl: ctx.server.baseUrl, ...FAST });
    await expect(job.status()).rejects.toBeInstanceOf(NotFoundError);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("a dropped connection (socket destroyed mid-response) is a ConnectionError, retried", async () => {
    ctx.server.reply({ drop: true }, { json: HEALTH });
    expect(await ctx.endpoint().health()).toEqual(HEALTH);
    expect(ctx.server.requests).toHaveLength(2);

    ctx.server.reply({ drop: true });
    const e = await ctx
      .endpoint({ maxRetries: 0 })
      .health()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectionError);
    expect((e as ConnectionError).status).toBeUndefined();
  });

  it("a request over timeoutMs is a RequestTimeoutError; reads retry it", async () => {
    ctx.server.reply({ hang: true });
    const e = await ctx
      .endpoint({ timeoutMs: 50, maxRetries: 0 })
      .health()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequestTimeoutError);
    expect((e as Error).message).toContain("timed out after 50 ms");

    ctx.server.reply({ hang: true }, { json: HEALTH });
    expect(await ctx.endpoint({ timeoutMs: 50 }).health()).toEqual(HEALTH);
  });
});

describe("no retries for calls that change state", () => {
  it("run is not retried on 5xx, a dropped connection or a timeout", async () => {
    ctx.server.reply({ status: 503 });
    await expect(ctx.endpoint().run(1)).rejects.toBeInstanceOf(InternalServerError);
    expect(ctx.server.requests).toHaveLength(1);

    ctx.server.reply({ drop: true });
    await expect(ctx.endpoint().run(1)).rejects.toBeInstanceOf(ConnectionError);
    expect(ctx.server.requests).toHaveLength(2);

    ctx.server.reply({ hang: true });
    await expect(ctx.endpoint({ timeoutMs: 50 }).run(1)).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
    expect(ctx.server.requests).toHaveLength(3);
  });

  it("cancel, retry, runSync and purgeQueue are not retried on 5xx or 429", async () => {
    ctx.server.handle(() => ({ status: 429, headers: { "retry-after": "0" } }));
    const ep = ctx.endpoint();
    const job = Endpoint.job("ep-1", "j", { apiKey: KEY, baseUrl: ctx.server.baseUrl, ...FAST });
    await expect(job.cancel()).rejects.toBeInstanceOf(RateLimitError);
    await expect(job.retry()).rejects.toBeInstanceOf(RateLimitError);
    await expect(ep.runSync(1)).rejects.toBeInstanceOf(RateLimitError);
    await expect(ep.purgeQueue()).rejects.toBeInstanceOf(RateLimitError);
    expect(ctx.server.requests.map((r) => r.path)).toEqual([
      "/v2/ep-1/cancel/j",
      "/v2/ep-1/retry/j",
      "/v2/ep-1/runsync",
      "/v2/ep-1/purge-queue",
    ]);
  });

  it("connection refused: run is retried, and succeeds once the server is up", async () => {
    const port = await freePort();
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => {
        text += c.toString();
      });
      req.on("end", () => {
        received.push(JSON.parse(text));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "job-1", status: "IN_QUEUE" }));
      });
    });
    let attempts = 0;
    const ep = new Endpoint("ep-1", {
      apiKey: KEY,
      baseUrl: `http://127.0.0.1:${port}/v2`,
      ...FAST,
      // Delegates to the real fetch; after the first (refused) attempt, the server comes up.
      fetch: async (url, init) => {
        attempts++;
        try {
          return await fetch(url, init);
        } catch (error) {
          await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
          throw error;
        }
      },
    });
    try {
      const job = await ep.run({ n: 1 });
      expect(job.id).toBe("job-1");
      expect(attempts).toBe(2);
      expect(received).toEqual([{ input: { n: 1 } }]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("connection refused, nobody ever listening: ConnectionError after maxRetries", async () => {
    const port = await freePort();
    let attempts = 0;
    const ep = new Endpoint("ep-1", {
      apiKey: KEY,
      baseUrl: `http://127.0.0.1:${port}/v2`,
      ...FAST,
      maxRetries: 2,
      fetch: (url, init) => {
        attempts++;
        return fetch(url, init);
      },
    });
    const e = await ep.run(1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectionError);
    expect((e as Error).message).toContain("ECONNREFUSED");
    expect(attempts).toBe(3);
  });
});

describe("aborts", () => {
  it("aborting the signal mid-request rejects with AbortError and is not retried", async () => {
    ctx.server.reply({ hang: true });
    const controller = new AbortController();
    const pending = ctx.endpoint().health({ signal: controller.signal });
    await ctx.server.received(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    await expect(ctx.endpoint().run(1, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("aborting during a retry wait rejects with AbortError", async () => {
    ctx.server.reply({ status: 503, headers: { "retry-after": "30" } });
    const controller = new AbortController();
    const pending = ctx.endpoint().health({ signal: controller.signal });
    await ctx.server.received(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(ctx.server.requests).toHaveLength(1);
  });
});
