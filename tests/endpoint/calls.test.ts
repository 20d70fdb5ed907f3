/** Every method of the client, and what it puts on the wire. */
import { describe, expect, it } from "vitest";
import { Endpoint, JobHandle, VERSION } from "../../src/endpoint/index.js";
import { KEY, useServer } from "./setup.js";

const ctx = useServer();

describe("Endpoint calls", () => {
  it("run sends {input, ...options} with the key and a User-Agent, and returns a JobHandle", async () => {
    ctx.server.reply({ json: { id: "job-1", status: "IN_QUEUE" } });
    const ep = ctx.endpoint<{ prompt: string }, string>();
    const job = await ep.run(
      { prompt: "hi" },
      { webhook: "https://example.com/hook", policy: { ttl: 60_000, lowPriority: true } },
    );
    expect(job).toBeInstanceOf(JobHandle);
    expect(job.id).toBe("job-1");
    expect(job.endpointId).toBe("ep-1");
    const [req] = ctx.server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/v2/ep-1/run");
    expect(req?.query).toEqual({});
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["user-agent"]).toMatch(new RegExp(`^runpod-ts/${VERSION} `));
    expect(req?.body).toEqual({
      input: { prompt: "hi" },
      webhook: "https://example.com/hook",
      policy: { ttl: 60_000, lowPriority: true },
    });
  });

  it("never wraps or unwraps the input: an object with an `input` key is sent as input", async () => {
    ctx.server.reply({ json: { id: "job-1", status: "IN_QUEUE" } });
    await ctx.endpoint().run({ input: 1 });
    expect(ctx.server.requests[0]?.body).toEqual({ input: { input: 1 } });
  });

  it("passes s3Config through", async () => {
    ctx.server.reply({ json: { id: "job-1", status: "IN_QUEUE" } });
    const s3Config = {
      accessId: "a",
      accessSecret: "s",
      bucketName: "b",
      endpointUrl: "https://s3",
    };
    await ctx.endpoint().run("x", { s3Config });
    expect(ctx.server.requests[0]?.body).toEqual({ input: "x", s3Config });
  });

  it("job.status() GETs /status/{id} and returns the status object", async () => {
    const status = { id: "job 1/x", status: "IN_PROGRESS", delayTime: 12, workerId: "w1" };
    ctx.server.reply({ json: status });
    const job = Endpoint.job("ep-1", "job 1/x", { apiKey: KEY, baseUrl: ctx.server.baseUrl });
    expect(await job.status()).toEqual(status);
    const [req] = ctx.server.requests;
    expect(req?.method).toBe("GET");
    // The id is one path segment, whatever it contains.
    expect(req?.path).toBe("/v2/ep-1/status/job%201%2Fx");
    expect(req?.text).toBe("");
  });

  it("job.cancel() and job.retry() POST {} and return the status object", async () => {
    ctx.server.reply(
      { json: { id: "job-1", status: "CANCELLED" } },
      { json: { id: "job-1", status: "IN_QUEUE" } },
    );
    const job = Endpoint.job("ep-1", "job-1", { apiKey: KEY, baseUrl: ctx.server.baseUrl });
    expect((await job.cancel()).status).toBe("CANCELLED");
    expect((await job.retry()).status).toBe("IN_QUEUE");
    const [cancel, retry] = ctx.server.requests;
    expect([cancel?.method, cancel?.path, cancel?.body]).toEqual([
      "POST",
      "/v2/ep-1/cancel/job-1",
      {},
    ]);
    expect([retry?.method, retry?.path, retry?.body]).toEqual(["POST", "/v2/ep-1/retry/job-1", {}]);
  });

  it("health() and purgeQueue() return the typed bodies", async () => {
    const health = {
      jobs: { completed: 1, failed: 0, inProgress: 2, inQueue: 3, retried: 0 },
      workers: { idle: 1, initializing: 0, ready: 1, running: 2, throttled: 0, unhealthy: 0 },
    };
    ctx.server.reply({ json: health }, { json: { removed: 3, status: "completed" } });
    const ep = ctx.endpoint();
    expect(await ep.health()).toEqual(health);
    expect(await ep.purgeQueue()).toEqual({ removed: 3, status: "completed" });
    const [h, p] = ctx.server.requests;
    expect([h?.method, h?.path]).toEqual(["GET", "/v2/ep-1/health"]);
    expect([p?.method, p?.path, p?.body]).toEqual(["POST", "/v2/ep-1/purge-queue", {}]);
  });

  it("Endpoint.job re-attaches to an existing job and waits for its output", async () => {
    ctx.server.reply({ json: { id: "old-job", status: "COMPLETED", output: { n: 42 } } });
    const job = Endpoint.job<{ n: number }>("ep-1", "old-job", {
      apiKey: KEY,
      baseUrl: ctx.server.baseUrl,
    });
    expect(await job.output()).toEqual({ n: 42 });
    expect(ctx.server.requests[0]?.path).toBe("/v2/ep-1/status-sync/old-job");
  });

  it("a base URL with a trailing slash gives the same paths", async () => {
    ctx.server.reply({ json: { id: "j", status: "IN_QUEUE" } });
    await ctx.endpoint({ baseUrl: `${ctx.server.baseUrl}/` }).run(1);
    expect(ctx.server.requests[0]?.path).toBe("/v2/ep-1/run");
  });

  it("uses a custom fetch for every request", async () => {
    ctx.server.reply(
      { json: { id: "job-1", status: "IN_QUEUE" } },
      { json: { id: "job-1", status: "COMPLETED", output: "done" } },
    );
    const seen: string[] = [];
    const ep = ctx.endpoint<string, string>({
      fetch: (url, init) => {
        seen.push(`${init.method} ${new URL(url).pathname}`);
        return fetch(url, init);
      },
    });
    const job = await ep.run("x");
    expect(await job.output()).toBe("done");
    expect(seen).toEqual(["POST /v2/ep-1/run", "GET /v2/ep-1/status-sync/job-1"]);
    expect(ctx.server.requests).toHaveLength(2);
  });

  describe("settings from the environment", () => {
    const saved = { ...process.env };
    const restore = () => {
      process.env.RUNPOD_API_KEY = saved.RUNPOD_API_KEY;
      process.env.RUNPOD_ENDPOINT_BASE_URL = saved.RUNPOD_ENDPOINT_BASE_URL;
      if (saved.RUNPOD_API_KEY === undefined) delete process.env.RUNPOD_API_KEY;
      if (saved.RUNPOD_ENDPOINT_BASE_URL === undefined) delete process.env.RUNPOD_ENDPOINT_BASE_URL;
    };

    it("reads RUNPOD_API_KEY and RUNPOD_ENDPOINT_BASE_URL when no option is given", async () => {
      try {
        process.env.RUNPOD_API_KEY = "env-key";
        process.env.RUNPOD_ENDPOINT_BASE_URL = ctx.server.baseUrl;
        ctx.server.reply({ json: { id: "j", status: "IN_QUEUE" } });
        await new Endpoint("ep-env").run(1);
        expect(ctx.server.requests[0]?.path).toBe("/v2/ep-env/run");
        expect(ctx.server.requests[0]?.headers.authorization).toBe("Bearer env-key");
      } finally {
        restore();
      }
    });

    it("options win over the environment", async () => {
      try {
        process.env.RUNPOD_API_KEY = "env-key";
        process.env.RUNPOD_ENDPOINT_BASE_URL = "http://127.0.0.1:1/v2";
        ctx.server.reply({ json: { id: "j", status: "IN_QUEUE" } });
        await ctx.endpoint({ apiKey: "opt-key" }).run(1);
        expect(ctx.server.requests[0]?.headers.authorization).toBe("Bearer opt-key");
      } finally {
        restore();
      }
    });
  });
});

describe("in a browser", () => {
  it("sends no User-Agent of its own (browsers forbid setting it)", async () => {
    const g = globalThis as { window?: unknown; document?: unknown };
    g.window = {};
    g.document = {};
    try {
      const ep = ctx.endpoint();
      ctx.server.reply({ json: { id: "j", status: "IN_QUEUE" } });
      await ep.run(1);
      // Node's fetch still sends its default ("node"); ours would start with runpod-ts/.
      expect(ctx.server.requests[0]?.headers["user-agent"] ?? "").not.toMatch(/runpod-ts/);
      expect(ctx.server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    } finally {
      delete g.window;
      delete g.document;
    }
  });
});
