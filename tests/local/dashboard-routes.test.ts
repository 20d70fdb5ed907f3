/**
 * The dashboard's server side over real HTTP: the page and its assets, the data routes, the event
 * stream through a job's whole life, auth, and the `dashboard: false` option.
 */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import type { LocalPlatform } from "../../src/local/index.js";
import {
  client,
  jobReaches,
  nextEvent,
  startPlatform,
  workerFor,
} from "../helpers/local-platform.js";
import { untilAborted } from "../helpers/protocol-worker.js";
import { SseReader } from "../helpers/sse-reader.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

const get = (p: LocalPlatform, path: string, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, { headers });

async function openEvents(p: LocalPlatform, headers: Record<string, string> = {}) {
  const res = await get(p, "/_dashboard/api/events", headers);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  return new SseReader(res.body as ReadableStream<Uint8Array>);
}

interface Change {
  type: string;
  id?: string;
  job?: { id: string; status: string };
  output?: unknown;
  seq?: number;
}

const WORKER_ERROR = JSON.stringify({
  error_type: "<class 'ValueError'>",
  error_message: "prompt is empty",
  error_traceback:
    'Traceback (most recent call last):\n  File "handler.py", line 3\nValueError: prompt is empty\n',
  hostname: "local-host",
  worker_id: "w1",
  runpod_version: "1.12.0",
});

describe("the dashboard page", () => {
  it("serves the page at / and its own assets, with a strict content security policy", async () => {
    const p = await startPlatform();
    const page = await get(p, "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/_dashboard/assets/dashboard.js">');
    expect(html).toContain('<link rel="stylesheet" href="/_dashboard/assets/dashboard.css">');

    const js = await get(p, "/_dashboard/assets/dashboard.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await js.text()).toContain("/_dashboard/api/events");
    const css = await get(p, "/_dashboard/assets/dashboard.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain("prefers-color-scheme: dark");

    // Self-contained: nothing is loaded from another origin.
    for (const text of [html, await (await get(p, "/_dashboard/assets/dashboard.css")).text()]) {
      expect(text).not.toMatch(/https?:\/\//);
    }
  });

  it("answers 405 for other methods and keeps the public API at its usual paths", async () => {
    const p = await startPlatform();
    const res = await fetch(`${p.url}/`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect((await get(p, "/health")).status).toBe(200);
  });
});

describe("the dashboard data routes", () => {
  it("state has the endpoint, job summaries, workers and the counts /health reports", async () => {
    const p = await startPlatform();
    const api = client(p);
    const { id } = (await api.post("/run", { input: { big: "x".repeat(100) } })).json;
    const res = await get(p, "/_dashboard/api/state");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const state = await res.json();
    expect(state.endpointId).toBe("local");
    expect(state.health).toEqual((await api.get("/health")).json);
    expect(state.jobs).toEqual([
      { id, status: "IN_QUEUE", sync: false, createdAt: expect.any(Number) },
    ]);
    expect(state.workers).toEqual([]);
    expect(state.metrics.buckets).toHaveLength(30);
  });

  it("a job's details carry its input, stream chunks, progress and the parsed worker error", async () => {
    const p = await startPlatform();
    const api = client(p);
    const worker = workerFor(p);
    worker.start(async (_job, ctx) => {
      await ctx.progress({ step: 1 });
      await ctx.stream("first");
      await ctx.stream("second");
      return { error: WORKER_ERROR };
    });
    const { id } = (await api.post("/run", { input: { prompt: "" } })).json;
    await jobReaches(p, id, "FAILED");

    const details = await (await get(p, `/_dashboard/api/jobs/${id}`)).json();
    expect(details.job).toMatchObject({ id, status: "FAILED", input: { prompt: "" } });
    expect(details.errorDetails).toEqual({
      errorType: "<class 'ValueError'>",
      errorMessage: "prompt is empty",
      errorTraceback: expect.stringContaining("ValueError: prompt is empty"),
      hostname: "local-host",
      workerId: "w1",
      runpodVersion: "1.12.0",
    });
    expect(
      details.history.chunks.map((c: { seq: number; output: unknown }) => [c.seq, c.output]),
    ).toEqual([
      [0, "first"],
      [1, "second"],
    ]);
    expect(details.history.progress.map((c: { output: unknown }) => c.output)).toEqual([
      { step: 1 },
    ]);
  });

  it("a job's details list its webhook attempts, failed ones included", async () => {
    const receiver = await startWebhookReceiver([500, 200]);
    try {
      const p = await startPlatform({ webhookRetryDelayMs: 0 });
      workerFor(p).start(async () => ({ output: "done" }));
      const delivered = nextEvent(p, (e) => e.type === "webhook" && e.ok);
      const { id } = (await client(p).post("/run", { input: {}, webhook: receiver.url })).json;
      await delivered;
      const details = await (await get(p, `/_dashboard/api/jobs/${id}`)).json();
      expect(details.history.webhooks).toEqual([
        { seq: 0, at: expect.any(Number), url: receiver.url, attempt: 1, ok: false, status: 500 },
        { seq: 1, at: expect.any(Number), url: receiver.url, attempt: 2, ok: true, status: 200 },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it("validates the job id and answers JSON errors", async () => {
    const p = await startPlatform();
    const bad = await get(p, "/_dashboard/api/jobs/not%20an%20id");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining("job id: not a job id") });
    const missing = await get(p, "/_dashboard/api/jobs/nope-u1");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "job nope-u1 not found" });
  });
});

describe("the event stream", () => {
  it("sends the state, then a job's lifecycle and its chunks as they happen", async () => {
    const p = await startPlatform();
    const events = await openEvents(p);
    const first = await events.next();
    expect(first?.event).toBe("state");
    expect(JSON.parse(first?.data ?? "").jobs).toEqual([]);

    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const worker = workerFor(p);
    worker.start(async (_job, ctx) => {
      await ctx.stream({ token: "Hel" });
      await gate; // the test sees the first chunk before the job goes on
      await ctx.stream({ token: "lo" });
      return { text: "Hello" };
    });
    const { id } = (await client(p).post("/run", { input: {} })).json;

    const seen: Change[] = [];
    const upTo = (match: (c: Change) => boolean) =>
      events.until((frame) => {
        if (frame.event !== "changes") return undefined;
        const changes = JSON.parse(frame.data) as Change[];
        seen.push(...changes);
        return changes.some(match) ? true : undefined;
      });
    await upTo((c) => c.type === "chunk" && c.id === id);
    release();
    await upTo((c) => c.type === "job" && c.job?.status === "COMPLETED");

    const story = seen
      .filter((c) => c.id === id || c.job?.id === id)
      .map((c) => (c.type === "job" ? c.job?.status : `chunk ${JSON.stringify(c.output)}`));
    expect(story).toEqual([
      "IN_QUEUE",
      "IN_PROGRESS",
      'chunk {"token":"Hel"}',
      'chunk {"token":"lo"}',
      "COMPLETED",
    ]);
    // Each live chunk carries the same seq as in the job's details, so a page holding both can
    // tell an entry it already has from a new one.
    const live = seen
      .filter((c) => c.type === "chunk" && c.id === id)
      .map((c) => [c.seq, c.output]);
    expect(live).toEqual([
      [0, { token: "Hel" }],
      [1, { token: "lo" }],
    ]);
    // Counts follow the changes.
    const overview = await events.until((f) =>
      f.event === "overview" ? JSON.parse(f.data) : undefined,
    );
    expect(overview.health.jobs.completed).toBe(1);
    // The chart counts the finished job once, with its latency.
    const timed = overview.metrics.buckets.filter((b: { finished: number }) => b.finished > 0);
    expect(timed).toEqual([
      { start: expect.any(Number), finished: 1, latencyMs: expect.any(Number) },
    ]);
    await events.cancel();
  });

  it("reports workers and ends when the platform closes", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const events = await openEvents(p);
    await events.next();
    const worker = workerFor(p, "gpu-7");
    worker.start(async (_job, ctx) => untilAborted(ctx.signal));
    const change = await events.until((f) => {
      if (f.event !== "changes") return undefined;
      return (JSON.parse(f.data) as Change[]).find((c) => c.type === "worker");
    });
    expect(change).toMatchObject({ type: "worker", worker: { id: "gpu-7", state: "idle" } });
    await worker.stop();
    await p.close();
    // The stream ends instead of holding the server open.
    while ((await events.next()) !== undefined) {}
  });
});

describe("auth and the option", () => {
  it("with an API key the page is public but its data needs the key, sent as a header", async () => {
    const p = await startPlatform({ apiKey: "s3cret-key" });
    const page = await get(p, "/");
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("s3cret-key");
    expect((await get(p, "/_dashboard/assets/dashboard.js")).status).toBe(200);

    for (const path of [
      "/_dashboard/api/state",
      "/_dashboard/api/events",
      "/_dashboard/api/jobs/x",
    ]) {
      const res = await get(p, path);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "unauthorized: missing or invalid API key" });
      expect((await get(p, path, { authorization: "Bearer wrong" })).status).toBe(401);
    }
    const ok = await get(p, "/_dashboard/api/state", { authorization: "Bearer s3cret-key" });
    expect(ok.status).toBe(200);
    const events = await openEvents(p, { authorization: "Bearer s3cret-key" });
    expect((await events.next())?.event).toBe("state");
    await events.cancel();
  });

  it("on a loopback bind, answers its data only to requests addressed to a loopback name", async () => {
    const p = await startPlatform();
    // As a page of another site would after pointing its own name at 127.0.0.1 (DNS rebinding).
    const statusFor = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port: p.port, path: "/_dashboard/api/state", headers: { host } },
          (res) => {
            let body = "";
            res.on("data", (c: Buffer) => {
              body += c.toString("utf8");
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end();
      });
    const refused = await statusFor(`rebound.example:${p.port}`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toContain(
      "answers only requests addressed to localhost",
    );
    for (const host of [`localhost:${p.port}`, `127.0.0.1:${p.port}`, "[::1]"]) {
      expect((await statusFor(host)).status).toBe(200);
    }
  });

  it("dashboard: false serves none of it", async () => {
    const p = await startPlatform({ dashboard: false });
    for (const path of [
      "/",
      "/_dashboard/assets/dashboard.js",
      "/_dashboard/api/state",
      "/_dashboard/api/events",
    ]) {
      const res = await get(p, path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: `no route for GET ${path}` });
    }
    expect((await get(p, "/health")).status).toBe(200);
  });
});
