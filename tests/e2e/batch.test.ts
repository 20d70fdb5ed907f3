/**
 * Batch Jobs end to end: the local platform over real HTTP, our worker runtime in a child process,
 * and `endpoint.batches`: the one-call helper with progress, results, the batch id on the worker's
 * log lines, and a cancel while requests run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BatchSummary, Endpoint, isTerminal } from "../../src/endpoint/index.js";
import { createLocalPlatform, type LocalPlatform } from "../../src/local/index.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";
import type { BatchInput } from "./fixtures/batch-worker.js";

const API_KEY = "batch-e2e-key";
const FIXTURE = resolve(import.meta.dirname, "fixtures/batch-worker.ts");
/** A pattern matching the whole line `line`. */
const exactly = (line: string) => new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

describe("batches: local platform + worker process + endpoint.batches", () => {
  let platform: LocalPlatform;
  let worker: WorkerProcess;
  let ep: Endpoint<BatchInput, { doubled: number } | { passed: boolean }>;
  let gates: string;

  beforeAll(async () => {
    platform = await createLocalPlatform({ port: 0, apiKey: API_KEY, longPollMs: 2_000 });
    worker = spawnWorker(FIXTURE, { ...platform.workerEnv("batch-1"), CONCURRENCY: "2" });
    ep = new Endpoint(platform.endpointId, {
      baseUrl: `${platform.url}/v2`,
      apiKey: API_KEY,
      pollIntervalMs: 20,
      maxPollIntervalMs: 100,
    });
    gates = mkdtempSync(join(tmpdir(), "runpod-batch-gates-"));
  });
  afterAll(async () => {
    worker.kill();
    await platform.close();
    rmSync(gates, { recursive: true, force: true });
  });

  it("submit runs a batch to the end with progress; every line of its jobs names the batch", async () => {
    const inputs = Array.from({ length: 12 }, (_, n) => ({ n: n === 5 ? -5 : n }));
    const progress: BatchSummary[] = [];
    const summary = await ep.batches.submit(inputs, { onProgress: (s) => progress.push(s) });
    expect(summary).toMatchObject({
      status: "FINALIZED",
      requestTotal: 12,
      requestInProgress: 0,
      requestCompleted: 11,
      requestFailed: 1,
    });
    expect(progress[0]?.status).toBe("FINALIZED");
    expect(progress.at(-1)).toEqual(summary);

    const results = [];
    for await (const r of ep.batches.results(summary.id, { pageSize: 5 })) results.push(r);
    expect(results).toHaveLength(12);
    expect(results[3]).toMatchObject({ status: "COMPLETED", output: { doubled: 6 } });
    expect(results[5]?.status).toBe("FAILED");
    expect(JSON.parse(results[5]?.error as string)).toMatchObject({
      error_type: "RangeError",
      error_message: "negative: -5",
      worker_id: "batch-1",
    });

    // A job's result can reach the platform before its last log lines cross the worker's pipe.
    const prefix = `[batchId=${summary.id}] `;
    for (const r of results) {
      for (const line of ["Started.", `doubling ${inputs[results.indexOf(r)]?.n}`, "Finished."]) {
        await worker.waitForLine(exactly(`INFO   | ${r.id} | ${prefix}${line}`));
      }
    }
    await worker.waitForLine(
      exactly(`ERROR  | ${results[5]?.id} | ${prefix}Captured Handler Exception: negative: -5`),
    );

    // An interactive job's lines carry no batch id.
    const job = await ep.run({ n: 100 });
    expect(await job.output()).toEqual({ doubled: 200 });
    await worker.waitForLine(exactly(`INFO   | ${job.id} | Started.`));
    await worker.waitForLine(exactly(`INFO   | ${job.id} | Finished.`));
    expect(worker.lines.filter((l) => l.includes(job.id) && l.includes("batchId"))).toEqual([]);
  });

  it("cancel mid-batch: queued requests never run, running ones finish, then the batch is CANCELLED", async () => {
    const gate = join(gates, "open");
    const { id } = await ep.batches.create(Array.from({ length: 6 }, () => ({ gate })));
    const ids: string[] = [];
    for await (const r of ep.batches.results(id)) ids.push(r.id);
    await ep.batches.finalize(id);
    // The first two requests fill the worker's two slots, at the gate.
    for (const requestId of ids.slice(0, 2)) {
      await worker.waitForLine(new RegExp(`\\| ${requestId} \\| \\[batchId=${id}\\] at the gate$`));
    }

    const cancelling = await ep.batches.cancel(id);
    expect(cancelling).toMatchObject({
      status: "FINALIZED",
      requestInProgress: 2,
      requestCompleted: 0,
      requestFailed: 4,
    });

    let finished = 0;
    const bothFinished = new Promise<void>((done) => {
      const stop = platform.subscribe((e) => {
        if (e.type === "job" && e.job.status === "COMPLETED" && ++finished === 2) {
          stop();
          done();
        }
      });
    });
    writeFileSync(gate, "");
    await bothFinished;

    expect(await ep.batches.get(id)).toMatchObject({
      status: "CANCELLED",
      requestInProgress: 0,
      requestCompleted: 2,
      requestFailed: 4,
    });
    const results = [];
    for await (const r of ep.batches.results(id)) results.push(r);
    expect(results.map((r) => r.status)).toEqual([
      "COMPLETED",
      "COMPLETED",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
    ]);
    // The cancelled requests never reached the worker.
    for (const r of results.slice(2)) {
      expect(worker.lines.some((l) => l.includes(r.id))).toBe(false);
    }
    expect(results.every((r) => isTerminal(r.status))).toBe(true);
  });
});
