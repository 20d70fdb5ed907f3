/** job.stream(): order, exactly once, backoff on empty reads, how it ends, aborts. */
import { describe, expect, it } from "vitest";
import {
  AbortError,
  Endpoint,
  InternalServerError,
  JobFailedError,
  JobTimedOutError,
  RunpodError,
} from "../../src/endpoint/index.js";
import type { Reply } from "../helpers/scripted-server.js";
import { FAST, KEY, useServer } from "./setup.js";

const ctx = useServer();
const job = () =>
  Endpoint.job<string>("ep-1", "job-1", { apiKey: KEY, baseUrl: ctx.server.baseUrl, ...FAST });
const read = (status: string, ...outputs: string[]): Reply => ({
  json: { id: "job-1", status, stream: outputs.map((output) => ({ output })) },
});

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of iterable) out.push(chunk);
  return out;
}

describe("job.stream()", () => {
  it("yields each chunk's output in order, exactly once, across reads", async () => {
    ctx.server.reply(
      read("IN_QUEUE"),
      read("IN_PROGRESS", "a", "b"),
      read("IN_PROGRESS"),
      read("IN_PROGRESS"),
      read("IN_PROGRESS", "c"),
      read("COMPLETED", "d", "e"),
      read("COMPLETED"),
    );
    expect(await collect(job().stream())).toEqual(["a", "b", "c", "d", "e"]);
    expect(ctx.server.requests).toHaveLength(7);
    expect(ctx.server.requests.every((r) => r.method === "GET")).toBe(true);
    expect(ctx.server.requests.every((r) => r.path === "/v2/ep-1/stream/job-1")).toBe(true);
  });

  it("ends on a final state only once a read comes back empty (the buffer is drained)", async () => {
    ctx.server.reply(read("COMPLETED", "last"), read("COMPLETED"));
    expect(await collect(job().stream())).toEqual(["last"]);
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("ends on CANCELLED", async () => {
    ctx.server.reply(read("IN_PROGRESS", "a"), read("CANCELLED"));
    expect(await collect(job().stream())).toEqual(["a"]);
  });

  it("backs off on empty reads: each delay at least pollIntervalMs, doubling to the cap", async () => {
    const times: number[] = [];
    ctx.server.handle(() => {
      times.push(performance.now());
      return times.length < 5 ? read("IN_PROGRESS") : read("COMPLETED");
    });
    const ep = {
      apiKey: KEY,
      baseUrl: ctx.server.baseUrl,
      pollIntervalMs: 20,
      maxPollIntervalMs: 40,
    };
    expect(await collect(Endpoint.job<string>("ep-1", "job-1", ep).stream())).toEqual([]);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // Lower bounds only: 20, 40, 40, 40 ms (less a little timer rounding).
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThanOrEqual(38);
  });

  it("throws JobFailedError on FAILED with the worker's error from /status", async () => {
    const workerError = JSON.stringify({ error_type: "E", error_message: "boom" });
    ctx.server.reply(read("IN_PROGRESS", "a"), read("FAILED"), {
      json: { id: "job-1", status: "FAILED", error: workerError },
    });
    const seen: string[] = [];
    const e = await (async () => {
      for await (const chunk of job().stream()) seen.push(chunk);
    })().catch((x: unknown) => x);
    expect(seen).toEqual(["a"]);
    expect(e).toBeInstanceOf(JobFailedError);
    expect((e as JobFailedError).details?.errorMessage).toBe("boom");
    expect(ctx.server.requests.at(-1)?.path).toBe("/v2/ep-1/status/job-1");
  });

  it("throws JobTimedOutError on TIMED_OUT", async () => {
    ctx.server.reply(read("TIMED_OUT"));
    await expect(collect(job().stream())).rejects.toBeInstanceOf(JobTimedOutError);
  });

  it("retries a failed read (5xx) without losing or repeating chunks", async () => {
    ctx.server.reply(
      read("IN_PROGRESS", "a"),
      { status: 502 },
      read("COMPLETED", "b"),
      read("COMPLETED"),
    );
    expect(await collect(job().stream())).toEqual(["a", "b"]);
  });

  it("a read error past the retries is thrown", async () => {
    ctx.server.handle(() => ({ status: 500 }));
    await expect(collect(job().stream())).rejects.toBeInstanceOf(InternalServerError);
  });

  it("tolerates a read without a `stream` list", async () => {
    ctx.server.reply(
      { json: { status: "IN_PROGRESS" } },
      read("COMPLETED", "x"),
      read("COMPLETED"),
    );
    expect(await collect(job().stream())).toEqual(["x"]);
  });

  it("aborting the signal during a read stops the stream with AbortError", async () => {
    ctx.server.reply(read("IN_PROGRESS", "a"), { hang: true });
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const chunk of job().stream({ signal: controller.signal })) seen.push(chunk);
    })();
    await ctx.server.received(2);
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual(["a"]);
  });

  it("stream.abort() stops it during a backoff wait", async () => {
    ctx.server.handle(() => read("IN_PROGRESS"));
    const ep = { apiKey: KEY, baseUrl: ctx.server.baseUrl, pollIntervalMs: 60_000 };
    const stream = Endpoint.job<string>("ep-1", "job-1", ep).stream();
    const done = collect(stream);
    await ctx.server.received(1);
    stream.abort();
    await expect(done).rejects.toBeInstanceOf(AbortError);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("breaking out of the loop sends no further reads", async () => {
    ctx.server.reply(read("IN_PROGRESS", "a", "b"));
    for await (const chunk of job().stream()) {
      expect(chunk).toBe("a");
      break;
    }
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("can be iterated once", async () => {
    ctx.server.reply(read("COMPLETED"));
    const stream = job().stream();
    await collect(stream);
    await expect(collect(stream)).rejects.toBeInstanceOf(RunpodError);
  });
});
