/**
 * Batch Jobs on the local platform (batch-jobs.md §8) over real HTTP, with protocol-level workers:
 * every route and its refusals, the state machine, counts, paging, cancel, limits and retention.
 */
import { describe, expect, it } from "vitest";
import type { LocalPlatform } from "../../src/local/index.js";
import { client, nextEvent, startPlatform, workerFor } from "../helpers/local-platform.js";
import { untilAborted } from "../helpers/protocol-worker.js";

const BATCH_ID = /^batch_[0-9a-hjkmnp-tv-z]{26}$/;
const REQUEST_ID = /^req_[0-9a-hjkmnp-tv-z]{26}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const items = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ input: { n: from + i } }));

/** A DRAFT batch with `n` requests; returns its id. */
async function draft(p: LocalPlatform, n: number): Promise<string> {
  const res = await client(p).post("/batch", items(n));
  expect(res.status).toBe(200);
  return res.json.id;
}

async function requestIds(p: LocalPlatform, id: string): Promise<string[]> {
  const page = await client(p).get(`/batch/${id}/requests?limit=1000`);
  return page.json.requests.map((r: { id: string }) => r.id);
}

describe("batch create, append, remove, rename, list", () => {
  it("create takes a JSON array of /run bodies and answers {id, status: DRAFT} with 200", async () => {
    const p = await startPlatform();
    const api = client(p);
    const created = await api.post("/batch", items(2));
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ id: expect.stringMatching(BATCH_ID), status: "DRAFT" });
    const empty = await api.post("/batch", []);
    expect(empty.json.status).toBe("DRAFT");
    const summary = await api.get(`/batch/${created.json.id}`);
    expect(summary.json).toEqual({
      id: created.json.id,
      endpointId: "local",
      status: "DRAFT",
      requestTotal: 2,
      requestInProgress: 0,
      requestCompleted: 0,
      requestFailed: 0,
      createdAt: expect.any(Number),
    });
    expect(Math.abs(summary.json.createdAt - Date.now())).toBeLessThan(60_000);
    const page = await api.get(`/batch/${created.json.id}/requests`);
    expect(page.json.requests).toEqual([
      { id: expect.stringMatching(REQUEST_ID), status: "DRAFT" },
      { id: expect.stringMatching(REQUEST_ID), status: "DRAFT" },
    ]);
  });

  it("create refuses what is not an array of objects with an object input (400, saying what)", async () => {
    const p = await startPlatform();
    const api = client(p);
    const notArray = await api.post("/batch", { requests: items(1) });
    expect(notArray.status).toBe(400);
    expect(notArray.json.error).toMatch(/must be a JSON array of \/run bodies/);
    const noInput = await api.post("/batch", [{ input: { a: 1 } }, { inptu: {} }]);
    expect(noInput.status).toBe(400);
    expect(noInput.json.error).toMatch(
      /^invalid batch: 1\.input: required, and must be a JSON object/,
    );
    const scalar = await api.post("/batch", [3]);
    expect(scalar.status).toBe(400);
    const many = await api.post(
      "/batch",
      Array.from({ length: 9 }, () => ({})),
    );
    expect(many.json.error).toMatch(/; and 4 more$/);
    expect((await api.post("/batch", "not json")).status).toBe(400);
    const badWebhook = await api.post("/batch", [{ input: {}, webhook: "ftp://x" }]);
    expect(badWebhook.status).toBe(400);
    expect(badWebhook.json.error).toMatch(/0\.webhook/);
  });

  it("append adds requests while DRAFT; remove deletes one; both answer the summary", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = await draft(p, 1);
    const appended = await api.post(`/batch/${id}/requests`, { requests: items(3, 1) });
    expect(appended.status).toBe(200);
    expect(appended.json).toMatchObject({ id, status: "DRAFT", requestTotal: 4 });
    const [first, second] = await requestIds(p, id);
    const removed = await api.call("DELETE", `/batch/${id}/requests/${second}`);
    expect(removed.json).toMatchObject({ id, requestTotal: 3 });
    expect(await requestIds(p, id)).not.toContain(second);
    expect(await requestIds(p, id)).toContain(first);
    const unknown = await api.call("DELETE", `/batch/${id}/requests/req_nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe(`request req_nope not found in batch ${id}`);
    const badBody = await api.post(`/batch/${id}/requests`, items(1));
    expect(badBody.status).toBe(400);
    expect(badBody.json.error).toBe(
      'invalid batch requests: the body must be {"requests": [{"input": {...}}, ...]}',
    );
    const badItem = await api.post(`/batch/${id}/requests`, { requests: [{ input: 1 }] });
    expect(badItem.json.error).toMatch(/^invalid batch requests: requests\.0\.input: required/);
  });

  it("append over 10 MiB answers 413 and adds nothing", async () => {
    const p = await startPlatform();
    const id = await draft(p, 0);
    const big = { requests: [{ input: { text: "x".repeat(10 * 1024 * 1024) } }] };
    const res = await client(p).post(`/batch/${id}/requests`, big);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe("request body is larger than 10 MB");
    expect((await client(p).get(`/batch/${id}`)).json.requestTotal).toBe(0);
  });

  it("PUT stores a name and answers the summary with it", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = await draft(p, 1);
    const named = await api.call("PUT", `/batch/${id}`, { name: "nightly-embeddings" });
    expect(named.status).toBe(200);
    expect(named.json).toMatchObject({ id, status: "DRAFT", name: "nightly-embeddings" });
    expect((await api.get(`/batch/${id}`)).json.name).toBe("nightly-embeddings");
    const bad = await api.call("PUT", `/batch/${id}`, { name: "" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^invalid batch update: name: length must be >= 1/);
    expect((await api.call("PUT", `/batch/${id}`, { title: "x" })).status).toBe(400);
  });

  it("list answers every batch of the endpoint, newest first", async () => {
    const p = await startPlatform();
    const a = await draft(p, 1);
    const b = await draft(p, 2);
    const list = await client(p).get("/batch");
    expect(list.status).toBe(200);
    expect(list.json.map((s: { id: string }) => s.id)).toEqual([b, a]);
    expect(list.json[0]).toMatchObject({ requestTotal: 2, status: "DRAFT", endpointId: "local" });
  });

  it("unknown batch, unknown endpoint and wrong methods answer 404 / 405", async () => {
    const p = await startPlatform();
    const api = client(p);
    for (const [method, path] of [
      ["GET", "/batch/batch_nope"],
      ["PUT", "/batch/batch_nope"],
      ["POST", "/batch/batch_nope/requests"],
      ["GET", "/batch/batch_nope/requests"],
      ["POST", "/batch/batch_nope/finalize"],
      ["POST", "/batch/batch_nope/cancel"],
      ["DELETE", "/batch/batch_nope/requests/req_x"],
    ] as const) {
      const body =
        method === "PUT" ? { name: "n" } : method === "POST" ? { requests: [] } : undefined;
      const res = await api.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual({ error: "batch batch_nope not found" });
    }
    const other = await fetch(`${p.url}/v2/other/batch`);
    expect(other.status).toBe(404);
    const wrong = await api.call("DELETE", "/batch");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
  });

  it("needs the API key as the rest of the API does, and refuses cross-site pages", async () => {
    const p = await startPlatform({ apiKey: "batch-key" });
    expect((await client(p).post("/batch", [])).status).toBe(401);
    expect((await client(p).get("/batch")).status).toBe(401);
    const ok = await client(p, { authorization: "Bearer batch-key" }).post("/batch", items(1));
    expect(ok.status).toBe(200);
    const page = await client(p, {
      authorization: "Bearer batch-key",
      origin: "https://evil.example",
    }).post("/batch", items(1));
    expect(page.status).toBe(403);
  });
});

describe("batch state machine and execution", () => {
  it("a DRAFT batch never runs: its requests never reach a worker's job-take", async () => {
    const p = await startPlatform({ longPollMs: 300 });
    const id = await draft(p, 3);
    await client(p).post(`/batch/${id}/requests`, { requests: items(2) });
    // A full long poll (held, then 204) while the batch holds five requests.
    expect(await workerFor(p).take()).toBeUndefined();
    expect(p.jobs()).toEqual([]);
    expect((await client(p).get("/health")).json.jobs.inQueue).toBe(0);
  });

  it("finalize queues every request as a job {id, input, batchId}; a second finalize is 409", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = await draft(p, 2);
    const ids = await requestIds(p, id);
    const finalized = await api.post(`/batch/${id}/finalize`);
    expect(finalized.status).toBe(200);
    expect(finalized.json).toMatchObject({ id, status: "FINALIZED", requestTotal: 2 });
    const worker = workerFor(p);
    const first = await worker.take();
    expect(first).toEqual({ id: ids[0], input: { n: 0 }, batchId: id });
    const again = await api.post(`/batch/${id}/finalize`);
    expect(again.status).toBe(409);
    expect(again.json.error).toBe(`batch ${id} is FINALIZED; only a DRAFT batch can be finalized`);
    const append = await api.post(`/batch/${id}/requests`, { requests: items(1) });
    expect(append.status).toBe(409);
    expect(append.json.error).toMatch(/can be appended to a batch only while it is DRAFT/);
    const remove = await api.call("DELETE", `/batch/${id}/requests/${ids[1]}`);
    expect(remove.status).toBe(409);
  });

  it("counts follow the jobs; a failed request fails alone; the batch stays FINALIZED", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = await draft(p, 3);
    const ids = await requestIds(p, id);
    await api.post(`/batch/${id}/finalize`);
    const worker = workerFor(p);
    const counts = async () => {
      const s = (await api.get(`/batch/${id}`)).json;
      return [s.status, s.requestInProgress, s.requestCompleted, s.requestFailed];
    };
    expect(await counts()).toEqual(["FINALIZED", 0, 0, 0]);
    const a = await worker.take();
    expect(await counts()).toEqual(["FINALIZED", 1, 0, 0]);
    await worker.done(a?.id as string, { output: { doubled: 0 } });
    expect(await counts()).toEqual(["FINALIZED", 0, 1, 0]);
    const b = await worker.take();
    await worker.done(b?.id as string, { error: "Handler raised an exception: boom" });
    expect(await counts()).toEqual(["FINALIZED", 0, 1, 1]);
    const c = await worker.take();
    await worker.done(c?.id as string, { output: "last" });
    expect(await counts()).toEqual(["FINALIZED", 0, 2, 1]);
    const summary = (await api.get(`/batch/${id}`)).json;
    expect(summary.requestCompleted + summary.requestFailed).toBe(summary.requestTotal);

    const page = (await api.get(`/batch/${id}/requests`)).json;
    expect(page).toMatchObject({ total: 3, offset: 0, limit: 50, hasMore: false });
    expect(page.requests[0]).toEqual({
      id: ids[0],
      status: "COMPLETED",
      output: { doubled: 0 },
      startedAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
    });
    expect(page.requests[1]).toMatchObject({
      id: ids[1],
      status: "FAILED",
      error: "Handler raised an exception: boom",
    });
    expect(page.requests[1].output).toBeUndefined();
    expect(page.requests[2]).toMatchObject({ status: "COMPLETED", output: "last" });
  });

  it("pages with offset and limit; hasMore = offset + length < total; bad values are 400", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = await draft(p, 120);
    const all = await requestIds(p, id);
    expect(all).toHaveLength(120);
    const first = (await api.get(`/batch/${id}/requests`)).json;
    expect(first).toMatchObject({ total: 120, offset: 0, limit: 50, hasMore: true });
    expect(first.requests.map((r: { id: string }) => r.id)).toEqual(all.slice(0, 50));
    const last = (await api.get(`/batch/${id}/requests?offset=100&limit=50`)).json;
    expect(last).toMatchObject({ total: 120, offset: 100, limit: 50, hasMore: false });
    expect(last.requests.map((r: { id: string }) => r.id)).toEqual(all.slice(100));
    const exact = (await api.get(`/batch/${id}/requests?offset=70&limit=50`)).json;
    expect(exact.hasMore).toBe(false);
    const past = (await api.get(`/batch/${id}/requests?offset=500`)).json;
    expect(past).toMatchObject({ requests: [], total: 120, hasMore: false });
    const capped = (await api.get(`/batch/${id}/requests?limit=5000`)).json;
    expect(capped.limit).toBe(1000);
    const bad = await api.get(`/batch/${id}/requests?offset=-1`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe("query offset: must be a whole number");
  });

  it("cancel: queued requests are CANCELLED at once, the running one finishes, then the batch is CANCELLED", async () => {
    const p = await startPlatform({ longPollMs: 300 });
    const api = client(p);
    const id = await draft(p, 4);
    const ids = await requestIds(p, id);
    await api.post(`/batch/${id}/finalize`);
    const worker = workerFor(p);
    const running = await worker.take();
    expect(running?.id).toBe(ids[0]);

    const cancelled = await api.post(`/batch/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({
      status: "FINALIZED",
      requestTotal: 4,
      requestInProgress: 1,
      requestFailed: 3,
    });
    const page = (await api.get(`/batch/${id}/requests`)).json;
    expect(page.requests.map((r: { status: string }) => r.status)).toEqual([
      "IN_PROGRESS",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
    ]);
    expect((await api.get(`/status/${ids[1]}`)).json.status).toBe("CANCELLED");
    // No cancelled request reaches a worker.
    expect(await worker.take()).toBeUndefined();
    // Cancelling again while it drains is harmless.
    expect((await api.post(`/batch/${id}/cancel`)).json.status).toBe("FINALIZED");

    await worker.done(ids[0] as string, { output: "finished anyway" });
    const after = (await api.get(`/batch/${id}`)).json;
    expect(after).toMatchObject({
      status: "CANCELLED",
      requestInProgress: 0,
      requestCompleted: 1,
      requestFailed: 3,
    });
    const again = await api.post(`/batch/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.json.error).toBe(`batch ${id} is already CANCELLED`);
  });

  it("cancelling a DRAFT batch ends it at once; it can no longer be finalized", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = await draft(p, 2);
    const res = await api.post(`/batch/${id}/cancel`);
    expect(res.json).toMatchObject({ status: "CANCELLED", requestTotal: 2, requestFailed: 2 });
    expect((await api.post(`/batch/${id}/finalize`)).status).toBe(409);
  });

  it("batch jobs are ordinary jobs: /status, /cancel, webhooks and retry work on them", async () => {
    const p = await startPlatform();
    const api = client(p);
    const hooks: unknown[] = [];
    const id = await draft(p, 0);
    await api.post(`/batch/${id}/requests`, {
      requests: [{ input: { n: 1 } }, { input: { n: 2 }, webhook: "http://127.0.0.1:9/hook" }],
    });
    const [one, two] = await requestIds(p, id);
    await api.post(`/batch/${id}/finalize`);
    expect((await api.get(`/status/${one}`)).json).toEqual({ id: one, status: "IN_QUEUE" });
    expect((await api.post(`/cancel/${one}`)).json).toEqual({ id: one, status: "CANCELLED" });
    expect((await api.get(`/batch/${id}`)).json.requestFailed).toBe(1);

    const worker = workerFor(p);
    const taken = await worker.take();
    expect(taken).toEqual({
      id: two,
      input: { n: 2 },
      webhook: "http://127.0.0.1:9/hook",
      batchId: id,
    });
    const webhook = nextEvent(p, (e) => e.type === "webhook");
    await worker.done(two as string, { error: "first try failed" });
    hooks.push(await webhook);
    expect(hooks[0]).toMatchObject({ type: "webhook", id: two, url: "http://127.0.0.1:9/hook" });
    expect((await api.get(`/batch/${id}`)).json).toMatchObject({
      requestCompleted: 0,
      requestFailed: 2,
    });

    // A retried request counts as queued again, and its new result replaces the old one.
    expect((await api.post(`/retry/${two}`)).json).toEqual({ id: two, status: "IN_QUEUE" });
    expect((await api.get(`/batch/${id}`)).json).toMatchObject({ requestFailed: 1 });
    const retaken = await worker.take();
    await worker.done(retaken?.id as string, { output: "second try" });
    const page = (await api.get(`/batch/${id}/requests`)).json;
    expect(page.requests[1]).toMatchObject({ id: two, status: "COMPLETED", output: "second try" });
    expect(page.requests[1].error).toBeUndefined();
  });

  it("a request whose job expires (ttl) is TIMED_OUT; purge-queue cancels queued batch requests", async () => {
    const p = await startPlatform({ ttlMs: 50 });
    const api = client(p);
    const id = await draft(p, 1);
    const [only] = await requestIds(p, id);
    const removed = nextEvent(p, (e) => e.type === "job-removed" && e.id === only);
    await api.post(`/batch/${id}/finalize`);
    await removed;
    expect((await api.get(`/batch/${id}/requests`)).json.requests[0]).toMatchObject({
      status: "TIMED_OUT",
      error: `request ${only} expired: its ttl ran out before it finished`,
    });

    const p2 = await startPlatform();
    const other = await draft(p2, 2);
    await client(p2).post(`/batch/${other}/finalize`);
    expect((await client(p2).post("/purge-queue")).json.removed).toBe(2);
    expect((await client(p2).get(`/batch/${other}`)).json).toMatchObject({ requestFailed: 2 });
  });

  it("results outlive the jobs' retention; a batch that is over is deleted after batchRetentionMs", async () => {
    const p = await startPlatform({ runRetentionMs: 20, batchRetentionMs: 400 });
    const api = client(p);
    const id = await draft(p, 1);
    const [only] = await requestIds(p, id);
    await api.post(`/batch/${id}/finalize`);
    const worker = workerFor(p);
    await worker.take();
    const gone = nextEvent(p, (e) => e.type === "job-removed" && e.id === only);
    await worker.done(only as string, { output: 42 });
    await gone;
    expect((await api.get(`/status/${only}`)).status).toBe(404);
    const page = (await api.get(`/batch/${id}/requests`)).json;
    expect(page.requests[0]).toMatchObject({ status: "COMPLETED", output: 42 });
    // Retention is the platform's own timer; poll for its effect rather than guess its moment.
    let status = 200;
    while (status === 200) status = (await api.get(`/batch/${id}`)).status;
    expect(status).toBe(404);
  });
});

describe("batch limits", () => {
  it("active batches per endpoint: one more is 409; a finished batch no longer counts", async () => {
    const p = await startPlatform({ maxActiveBatches: 2 });
    const api = client(p);
    const a = await draft(p, 1);
    await draft(p, 0);
    const third = await api.post("/batch", items(1));
    expect(third.status).toBe(409);
    expect(third.json.error).toBe(
      "endpoint local already has 2 active batches (limit 2); finalize and finish, or cancel, one first",
    );
    await api.post(`/batch/${a}/finalize`);
    const worker = workerFor(p);
    const job = await worker.take();
    expect((await api.post("/batch", items(1))).status).toBe(409);
    await worker.done(job?.id as string, { output: 1 });
    expect((await api.post("/batch", items(1))).status).toBe(200);
  });

  it("requests per batch: a create or append past the limit is 400", async () => {
    const p = await startPlatform({ maxBatchRequests: 3 });
    const api = client(p);
    const big = await api.post("/batch", items(4));
    expect(big.status).toBe(400);
    expect(big.json.error).toBe(
      "a batch holds at most 3 requests; this one has 0 and the call adds 4",
    );
    const id = await draft(p, 2);
    const over = await api.post(`/batch/${id}/requests`, { requests: items(2) });
    expect(over.status).toBe(400);
    expect(over.json.error).toBe(
      "a batch holds at most 3 requests; this one has 2 and the call adds 2",
    );
    expect((await api.post(`/batch/${id}/requests`, { requests: items(1) })).status).toBe(200);
  });

  it("queued batch requests per endpoint: a finalize past the limit is 409 and the batch stays DRAFT", async () => {
    const p = await startPlatform({ maxQueuedBatchRequests: 3 });
    const api = client(p);
    const a = await draft(p, 2);
    const b = await draft(p, 2);
    expect((await api.post(`/batch/${a}/finalize`)).status).toBe(200);
    const refused = await api.post(`/batch/${b}/finalize`);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe(
      `finalizing batch ${b} would queue 2 requests beside the 2 queued already, over the endpoint's limit of 3`,
    );
    expect((await api.get(`/batch/${b}`)).json.status).toBe("DRAFT");
  });
});

describe("fair scheduling between /run and batches", () => {
  it("a /run job submitted behind a large batch is taken within interactiveBurst + 1 takes", async () => {
    const p = await startPlatform({ interactiveBurst: 3 });
    const api = client(p);
    const id = await draft(p, 200);
    await api.post(`/batch/${id}/finalize`);
    const worker = workerFor(p);
    // The batch is being worked on when interactive jobs arrive.
    expect((await worker.take())?.batchId).toBe(id);
    const run = [];
    for (let i = 0; i < 8; i++) run.push((await api.post("/run", { input: { i } })).json.id);
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      const job = await worker.take();
      order.push(job?.batchId === undefined ? "run" : "batch");
    }
    // Interactive first, one batch job after every 3 interactive ones, none left behind.
    expect(order).toEqual([
      ...["run", "run", "run", "batch"],
      ...["run", "run", "run", "batch"],
      ...["run", "run", "batch", "batch"],
    ]);
  });

  it("with a slow batch on one worker, a /run job waits for one batch job at most", async () => {
    const p = await startPlatform();
    const api = client(p);
    const started: string[] = [];
    const release = new Map<string, () => void>();
    const entered = new Map<string, () => void>();
    const handlerEntered = (id: string) =>
      new Promise<void>((resolve) => (release.has(id) ? resolve() : entered.set(id, resolve)));
    workerFor(p).start(async (job, ctx) => {
      started.push(job.batchId === undefined ? "run" : "batch");
      const done = new Promise<void>((resolve) => release.set(job.id, resolve));
      entered.get(job.id)?.();
      await Promise.race([done, untilAborted(ctx.signal)]);
      return { output: "ok" };
    });
    const id = await draft(p, 50);
    const [first] = await requestIds(p, id);
    await api.post(`/batch/${id}/finalize`);
    await handlerEntered(first as string);
    const runId: string = (await api.post("/run", { input: {} })).json.id;
    release.get(first as string)?.();
    await handlerEntered(runId);
    expect(started).toEqual(["batch", "run"]);
    release.get(runId)?.();
    expect((await api.get(`/status-sync/${runId}?wait=5000`)).json.status).toBe("COMPLETED");
  });
});
