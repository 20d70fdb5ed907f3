/**
 * Route logic through Hono's `app.request()`, without a socket: covers the paths that do not
 * have Node's request objects (web-stream bodies, `Request.signal` for hang-ups).
 */
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { createApp } from "../../src/local/app.js";
import { BatchStore } from "../../src/local/batch-store.js";
import { EventBus } from "../../src/local/events.js";
import { JobStore } from "../../src/local/job-store.js";
import { LbEndpoints } from "../../src/local/load-balancer/endpoints.js";
import { type LocalPlatformOptions, resolveOptions } from "../../src/local/options.js";
import { WorkerRegistry } from "../../src/local/worker-registry.js";

function inMemoryApp(options: LocalPlatformOptions = {}) {
  const opts = resolveOptions({ longPollMs: 60_000, ...options });
  const events = new EventBus();
  const workers = new WorkerRegistry(opts.workerStaleMs, events);
  const store = new JobStore(
    {
      runRetentionMs: 60_000,
      syncRetentionMs: 60_000,
      maxFinishedJobs: opts.maxFinishedJobs,
      executionTimeoutMs: 60_000,
      ttlMs: 60_000,
      interactiveBurst: 4,
    },
    workers,
    events,
    () => {},
  );
  const batches = new BatchStore(opts, store);
  const loadBalancers = new LbEndpoints(
    {
      host: opts.host,
      apiKey: undefined,
      queueEndpointId: opts.endpointId,
      events,
      logger: silentLogger,
    },
    "127.0.0.1",
  );
  const app = createApp(
    {
      store,
      batches,
      workers,
      options: opts,
      loadBalancers,
      url: () => "http://127.0.0.1:8000",
      startedAt: Date.now(),
    },
    silentLogger,
  );
  return { app, store, close: () => store.close() };
}

describe("routes without a socket", () => {
  it("run, job-take, job-done and status", async () => {
    const { app, close } = inMemoryApp();
    try {
      const run = await app.request("/v2/local/run", {
        method: "POST",
        body: '{"input": {"a": 1}}',
      });
      const { id } = (await run.json()) as { id: string };
      const take = await app.request("/v2/local/job-take/w1");
      expect(await take.json()).toEqual({ id, input: { a: 1 } });
      const done = await app.request(`/v2/local/job-done/w1/${id}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: '{"output": 2}',
      });
      expect(done.status).toBe(200);
      expect(await (await app.request(`/status/${id}`)).json()).toMatchObject({
        status: "COMPLETED",
        output: 2,
      });
    } finally {
      close();
    }
  });

  it("cuts off a streamed body over the limit", async () => {
    const { app, close } = inMemoryApp();
    try {
      const chunk = new Uint8Array(1024 * 1024).fill(120);
      const body = new ReadableStream<Uint8Array>({
        pull: (controller) => controller.enqueue(chunk),
      });
      const res = await app.request("/run", {
        method: "POST",
        body,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
    } finally {
      close();
    }
  });

  it("a held request is released when its signal aborts", async () => {
    const { app, store, close } = inMemoryApp();
    try {
      const gone = new AbortController();
      const held = app.request("/job-take/w1", { signal: gone.signal });
      while (store.heldRequests < 1) await new Promise((r) => setImmediate(r));
      gone.abort();
      expect((await held).status).toBe(204);
      expect(store.heldRequests).toBe(0);
    } finally {
      close();
    }
  });
});
