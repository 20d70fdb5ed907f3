/** output() and runSync(): long polls, the /status fallback, job outcomes, whole-wait timeouts. */
import { describe, expect, it } from "vitest";
import {
  AbortError,
  Endpoint,
  JobCancelledError,
  JobFailedError,
  JobTimedOutError,
  NotFoundError,
  WaitTimeoutError,
} from "../../src/endpoint/index.js";
import type { Reply } from "../helpers/scripted-server.js";
import { FAST, KEY, useServer } from "./setup.js";

const ctx = useServer();
const job = (id = "job-1") =>
  Endpoint.job<{ text: string }>("ep-1", id, { apiKey: KEY, baseUrl: ctx.server.baseUrl, ...FAST });
const st = (status: string, extra: object = {}): Reply => ({
  json: { id: "job-1", status, ...extra },
});

const WORKER_ERROR = JSON.stringify({
  error_type: "<class 'ValueError'>",
  error_message: "bad prompt",
  error_traceback: "Traceback ...",
  hostname: "h",
  worker_id: "w1",
  runpod_version: "1.12.0",
});

describe("job.output()", () => {
  it("long-polls status-sync with wait until the job is final", async () => {
    ctx.server.reply(
      st("IN_QUEUE"),
      st("IN_PROGRESS"),
      st("COMPLETED", { output: { text: "hi" } }),
    );
    expect(await job().output()).toEqual({ text: "hi" });
    expect(ctx.server.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ["GET", "/v2/ep-1/status-sync/job-1", { wait: "90000" }],
      ["GET", "/v2/ep-1/status-sync/job-1", { wait: "90000" }],
      ["GET", "/v2/ep-1/status-sync/job-1", { wait: "90000" }],
    ]);
  });

  it("cuts wait to the time left, within 1 000 ms and the longPollMs option", async () => {
    ctx.server.reply(st("COMPLETED", { output: null }));
    await job().output({ timeoutMs: 30_000 });
    expect(Number(ctx.server.requests[0]?.query.wait)).toBeLessThanOrEqual(30_000);
    expect(Number(ctx.server.requests[0]?.query.wait)).toBeGreaterThan(1_000);

    ctx.server.reply(st("COMPLETED", { output: null }));
    await Endpoint.job("ep-1", "job-1", {
      apiKey: KEY,
      baseUrl: ctx.server.baseUrl,
      longPollMs: 5_000,
    }).output();
    expect(ctx.server.requests[1]?.query.wait).toBe("5000");
  });

  it("FAILED throws JobFailedError with the worker's error parsed", async () => {
    ctx.server.reply(st("FAILED", { error: WORKER_ERROR }));
    const e = await job()
      .output()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JobFailedError);
    const f = e as JobFailedError;
    expect(f.jobId).toBe("job-1");
    expect(f.error).toBe(WORKER_ERROR);
    expect(f.details?.errorMessage).toBe("bad prompt");
    expect(f.details?.workerId).toBe("w1");
    expect(f.message).toContain("bad prompt");
  });

  it("CANCELLED throws JobCancelledError; TIMED_OUT throws JobTimedOutError", async () => {
    ctx.server.reply(st("CANCELLED"), st("TIMED_OUT"));
    await expect(job().output()).rejects.toBeInstanceOf(JobCancelledError);
    await expect(job().output()).rejects.toBeInstanceOf(JobTimedOutError);
  });

  it("falls back to /status polling when status-sync answers 405, and remembers it", async () => {
    ctx.server.reply(
      { status: 405, text: "Method Not Allowed" },
      st("IN_PROGRESS"),
      st("IN_PROGRESS"),
      st("COMPLETED", { output: { text: "ok" } }),
    );
    const j = job();
    expect(await j.output()).toEqual({ text: "ok" });
    ctx.server.reply(st("COMPLETED", { output: { text: "again" } }));
    expect(await j.output()).toEqual({ text: "again" });
    expect(ctx.server.requests.map((r) => r.path.split("/")[3])).toEqual([
      "status-sync",
      "status",
      "status",
      "status",
      "status",
    ]);
  });

  it("falls back to /status when status-sync is a 404 for a job /status knows", async () => {
    ctx.server.reply({ status: 404 }, st("COMPLETED", { output: { text: "ok" } }));
    expect(await job().output()).toEqual({ text: "ok" });
    expect(ctx.server.requests.map((r) => r.path)).toEqual([
      "/v2/ep-1/status-sync/job-1",
      "/v2/ep-1/status/job-1",
    ]);
  });

  it("an expired job (404 on both routes) is a NotFoundError", async () => {
    ctx.server.handle(() => ({ status: 404, json: { error: "job not found" } }));
    await expect(job().output()).rejects.toBeInstanceOf(NotFoundError);
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("timeoutMs bounds the whole wait: WaitTimeoutError with the job id, job not cancelled", async () => {
    ctx.server.handle(() => ({ hang: true }));
    const e = await job()
      .output({ timeoutMs: 100 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WaitTimeoutError);
    expect((e as WaitTimeoutError).jobId).toBe("job-1");
    expect((e as WaitTimeoutError).timeoutMs).toBe(100);
    expect((e as WaitTimeoutError).cancelled).toBe(false);
    expect(ctx.server.requests.every((r) => r.path.includes("status-sync"))).toBe(true);
  });

  it("timeoutMs also bounds a run of non-final answers", async () => {
    // Two prompt non-final answers, then a poll the server holds: the bound counts from the start
    // of the wait, not from the last answer. It leaves a loaded machine a second for the two
    // answers (100 ms was sometimes too short for the second poll to go out).
    ctx.server.reply(st("IN_PROGRESS"), st("IN_PROGRESS"));
    ctx.server.handle(() => ({ hang: true }));
    await expect(job().output({ timeoutMs: 1000 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(ctx.server.requests.map((r) => r.path)).toEqual([
      "/v2/ep-1/status-sync/job-1",
      "/v2/ep-1/status-sync/job-1",
      "/v2/ep-1/status-sync/job-1",
    ]);
  });

  it("cancelOnTimeout cancels the job when the wait runs out", async () => {
    ctx.server.handle((req) => (req.path.includes("/cancel/") ? st("CANCELLED") : { hang: true }));
    const e = await job()
      .output({ timeoutMs: 100, cancelOnTimeout: true })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WaitTimeoutError);
    expect((e as WaitTimeoutError).cancelled).toBe(true);
    const cancel = ctx.server.requests.find((r) => r.path.includes("/cancel/"));
    expect([cancel?.method, cancel?.path]).toEqual(["POST", "/v2/ep-1/cancel/job-1"]);
  });

  it("aborting the signal stops the wait with AbortError (not a timeout)", async () => {
    ctx.server.handle(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = job().output({ signal: controller.signal, timeoutMs: 60_000 });
    await ctx.server.received(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe("endpoint.runSync()", () => {
  it("returns the output when runsync?wait answers with a final status", async () => {
    ctx.server.reply({
      json: { id: "sync-1", status: "COMPLETED", output: { text: "fast" }, delayTime: 1 },
    });
    const ep = ctx.endpoint<{ prompt: string }, { text: string }>();
    expect(await ep.runSync({ prompt: "p" }, { policy: { executionTimeout: 10_000 } })).toEqual({
      text: "fast",
    });
    const [req] = ctx.server.requests;
    expect([req?.method, req?.path, req?.query]).toEqual([
      "POST",
      "/v2/ep-1/runsync",
      { wait: "90000" },
    ]);
    expect(req?.body).toEqual({ input: { prompt: "p" }, policy: { executionTimeout: 10_000 } });
  });

  it("follows a non-final runsync answer with status-sync long polls", async () => {
    ctx.server.reply(
      { json: { id: "sync-2", status: "IN_PROGRESS" } },
      { json: { id: "sync-2", status: "IN_PROGRESS" } },
      { json: { id: "sync-2", status: "COMPLETED", output: 7 } },
    );
    expect(await ctx.endpoint().runSync("x")).toBe(7);
    expect(ctx.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v2/ep-1/runsync",
      "GET /v2/ep-1/status-sync/sync-2",
      "GET /v2/ep-1/status-sync/sync-2",
    ]);
  });

  it("throws the job's outcome error", async () => {
    ctx.server.reply({ json: { id: "sync-3", status: "FAILED", error: "plain failure" } });
    const e = await ctx
      .endpoint()
      .runSync("x")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JobFailedError);
    expect((e as JobFailedError).error).toBe("plain failure");
    expect((e as JobFailedError).details).toBeUndefined();
  });

  it("timeoutMs: runsync's wait is cut to it (1 s minimum), then WaitTimeoutError with the id", async () => {
    ctx.server.reply({ json: { id: "sync-4", status: "IN_QUEUE" } });
    ctx.server.handle((req) =>
      req.path.includes("/cancel/")
        ? { json: { id: "sync-4", status: "CANCELLED" } }
        : { hang: true },
    );
    const e = await ctx
      .endpoint()
      .runSync("x", { timeoutMs: 200, cancelOnTimeout: true })
      .catch((x: unknown) => x);
    expect(ctx.server.requests[0]?.query).toEqual({ wait: "1000" });
    expect(e).toBeInstanceOf(WaitTimeoutError);
    expect((e as WaitTimeoutError).jobId).toBe("sync-4");
    expect((e as WaitTimeoutError).timeoutMs).toBe(200);
    expect(ctx.server.requests.at(-1)?.path).toBe("/v2/ep-1/cancel/sync-4");
  });
});
