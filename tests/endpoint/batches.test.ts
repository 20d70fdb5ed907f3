/**
 * `endpoint.batches`: against the real local platform (with a protocol-level worker) for the
 * happy paths, and against a scripted server for retries and malformed answers.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type BatchRequestResult,
  type BatchSummary,
  Endpoint,
  InternalServerError,
  InvalidResponseError,
  isTerminal,
  RunpodError,
  ValidationError,
} from "../../src/endpoint/index.js";
import type { LocalPlatform } from "../../src/local/index.js";
import { startPlatform, workerFor } from "../helpers/local-platform.js";
import { FAST, KEY, useServer } from "./setup.js";

interface In {
  n: number;
  text?: string;
}
interface Out {
  doubled: number;
}

/** The client on `platform`, every request it sends recorded as `METHOD path`. */
function endpointOn(platform: LocalPlatform) {
  const sent: string[] = [];
  const endpoint = new Endpoint<In, Out>(platform.endpointId, {
    apiKey: KEY,
    baseUrl: `${platform.url}/v2`,
    ...FAST,
    fetch: (url, init) => {
      sent.push(`${init.method} ${new URL(url).pathname}`);
      return fetch(url, init);
    },
  });
  return { endpoint, sent };
}

/** Resolves once `count` jobs reached a final state. Subscribe before causing it. */
function jobsFinished(platform: LocalPlatform, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const stop = platform.subscribe((e) => {
      if (e.type === "job" && isTerminal(e.job.status) && ++seen === count) {
        stop();
        resolve();
      }
    });
  });
}

/** A worker that doubles `n`, and fails for negative ones. */
function doubler(platform: LocalPlatform) {
  workerFor(platform).start(async (job) => {
    const { n } = job.input as In;
    return n < 0 ? { error: `negative: ${n}` } : { output: { doubled: n * 2 } };
  });
}

describe("endpoint.batches on the local platform", () => {
  it("create, append, get, list, finalize, results: a whole batch by hand, typed", async () => {
    const p = await startPlatform();
    const { endpoint } = endpointOn(p);
    const created = await endpoint.batches.create([{ n: 1 }, { n: 2 }]);
    expect(created).toEqual({ id: expect.stringMatching(/^batch_/), status: "DRAFT" });
    const appended = await endpoint.batches.append(created.id, [{ n: -3 }]);
    expect(appended).toMatchObject({ id: created.id, status: "DRAFT", requestTotal: 3 });
    expect((await endpoint.batches.list()).map((b) => b.id)).toEqual([created.id]);
    doubler(p);
    const finished = jobsFinished(p, 3);
    const finalized = await endpoint.batches.finalize(created.id);
    expect(finalized.status).toBe("FINALIZED");
    const done = await endpoint.batches.submit([]); // an empty batch is done at once
    expect(done).toMatchObject({ status: "FINALIZED", requestTotal: 0 });
    await finished;
    expect(await endpoint.batches.get(created.id)).toMatchObject({
      requestCompleted: 2,
      requestFailed: 1,
    });
    const results: BatchRequestResult<Out>[] = [];
    for await (const r of endpoint.batches.results(created.id, { pageSize: 2 })) results.push(r);
    expectTypeOf(results[0]?.output).toEqualTypeOf<Out | undefined>();
    expect(results.map((r) => r.status)).toEqual(["COMPLETED", "COMPLETED", "FAILED"]);
    expect(results[1]?.output).toEqual({ doubled: 4 });
    expect(results[2]?.error).toBe("negative: -3");
  });

  it("submit creates, finalizes and waits, reporting progress as counts change", async () => {
    const p = await startPlatform();
    doubler(p);
    const { endpoint } = endpointOn(p);
    const seen: BatchSummary[] = [];
    const inputs = Array.from({ length: 30 }, (_, n) => ({ n: n === 7 ? -7 : n }));
    const summary = await endpoint.batches.submit(inputs, { onProgress: (s) => seen.push(s) });
    expect(summary).toMatchObject({
      status: "FINALIZED",
      requestTotal: 30,
      requestInProgress: 0,
      requestCompleted: 29,
      requestFailed: 1,
    });
    expect(seen.at(-1)).toEqual(summary);
    expect(seen[0]?.status).toBe("FINALIZED");
    const finished = seen.map((s) => s.requestCompleted + s.requestFailed);
    expect(finished).toEqual([...finished].sort((a, b) => a - b));
    let count = 0;
    for await (const r of endpoint.batches.results(summary.id, { pageSize: 7 })) {
      if (r.status === "COMPLETED") count++;
    }
    expect(count).toBe(29);
  });

  it("wait follows a batch finalized earlier until its requests finished", async () => {
    const p = await startPlatform();
    const { endpoint } = endpointOn(p);
    const { id } = await endpoint.batches.create([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await endpoint.batches.finalize(id);
    doubler(p);
    const seen: number[] = [];
    const summary = await endpoint.batches.wait(id, {
      onProgress: (s) => seen.push(s.requestCompleted),
    });
    expect(summary).toMatchObject({ id, status: "FINALIZED", requestCompleted: 3 });
    expect(seen.at(-1)).toBe(3);
    const aborted = new AbortController();
    aborted.abort();
    const { id: other } = await endpoint.batches.create([{ n: 4 }]);
    await expect(endpoint.batches.wait(other, { signal: aborted.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("inputs over one 10 MiB body go as a create and appends, in order", async () => {
    const p = await startPlatform();
    const { endpoint, sent } = endpointOn(p);
    const text = "é".repeat(2 * 1024 * 1024); // 4 MiB of UTF-8 each, though 2 Mi characters
    const created = await endpoint.batches.create([0, 1, 2, 3, 4].map((n) => ({ n, text })));
    expect(sent).toEqual([
      "POST /v2/local/batch",
      `POST /v2/local/batch/${created.id}/requests`,
      `POST /v2/local/batch/${created.id}/requests`,
    ]);
    expect((await endpoint.batches.get(created.id)).requestTotal).toBe(5);
  });

  it("cancel ends a DRAFT batch; a refused change is the API's typed error", async () => {
    const p = await startPlatform();
    const { endpoint } = endpointOn(p);
    const { id } = await endpoint.batches.create([{ n: 1 }]);
    expect((await endpoint.batches.cancel(id)).status).toBe("CANCELLED");
    const refused = await endpoint.batches.finalize(id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, name: "APIError" });
    await expect(endpoint.batches.get("batch_nope")).rejects.toMatchObject({ status: 404 });
  });

  it("validates inputs and options before sending anything", async () => {
    const p = await startPlatform();
    const { endpoint, sent } = endpointOn(p);
    const b = endpoint.batches;
    await expect(b.create({} as never)).rejects.toThrow("Invalid batch inputs: expected an array");
    await expect(b.create([{ n: 1 }, undefined as never])).rejects.toThrow(
      "Invalid batch inputs: 1: is required",
    );
    await expect(b.create([{ n: 1n } as never])).rejects.toThrow(
      /^Invalid batch inputs: 0: is not JSON-serialisable/,
    );
    const huge = { n: 1, text: "x".repeat(10 * 1024 * 1024) };
    await expect(b.create([huge])).rejects.toThrow(
      /^Invalid batch inputs: 0: is \d+ bytes as JSON; one batch call carries at most 10 MiB$/,
    );
    await expect(b.get("")).rejects.toBeInstanceOf(ValidationError);
    await expect(b.submit([], { onProgress: 3 } as never)).rejects.toThrow(
      "Invalid submit options: onProgress: must be a function",
    );
    const pages = b.results("batch_x", { pageSize: 0 });
    await expect(pages.next()).rejects.toThrow("Invalid results options: pageSize: must be >= 1");
    expect(sent).toEqual([]);
  });
});

describe("endpoint.batches retries", () => {
  const ctx = useServer();
  const summary = { id: "batch_1", endpointId: "ep-1", status: "FINALIZED", requestTotal: 1 };

  it("a create answered 5xx is not sent again (it may have made a batch); a read is", async () => {
    ctx.server.reply({ status: 503, json: { error: "busy" } });
    const ep = ctx.endpoint<In, Out>();
    await expect(ep.batches.create([{ n: 1 }])).rejects.toBeInstanceOf(InternalServerError);
    expect(ctx.server.requests).toHaveLength(1);

    ctx.server.reply({ status: 503, json: { error: "busy" } }, { json: summary });
    await expect(ep.batches.get("batch_1")).resolves.toEqual(summary);
    expect(ctx.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v2/ep-1/batch",
      "GET /v2/ep-1/batch/batch_1",
      "GET /v2/ep-1/batch/batch_1",
    ]);
  });

  it("a failed append after create names the batch, still a DRAFT", async () => {
    ctx.server.reply({ json: { id: "batch_2", status: "DRAFT" } }, { status: 500, json: {} });
    const text = "x".repeat(6 * 1024 * 1024);
    const error = await ctx
      .endpoint<In, Out>()
      .batches.create([
        { n: 1, text },
        { n: 2, text },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunpodError);
    expect((error as Error).message).toMatch(
      /^batch batch_2 was created, but adding its inputs failed \(.*HTTP 500.*\); it is a DRAFT: append the rest or cancel it$/,
    );
    expect((error as Error).cause).toBeInstanceOf(InternalServerError);
  });

  it("answers of the wrong shape are InvalidResponseError", async () => {
    ctx.server.reply({ json: { id: 3 } }, { json: { nope: true } }, { json: [{ id: "x" }] });
    const b = ctx.endpoint<In, Out>().batches;
    await expect(b.get("batch_1")).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(b.results("batch_1").next()).rejects.toThrow(
      "GET /batch/batch_1/requests?limit=50&offset=0 is not a valid batch response",
    );
    await expect(b.list()).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
