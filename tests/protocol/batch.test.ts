/** The batch state table and the fair queue that puts batch jobs beside interactive ones. */
import { describe, expect, it } from "vitest";
import { JobQueue } from "../../src/local/job-queue.js";
import {
  BATCH_STATES,
  type BatchSummary,
  batchDone,
  canBatchTransition,
  isBatchTerminal,
} from "../../src/protocol/batch.js";

describe("batch states", () => {
  it("DRAFT → FINALIZED → FAILED | CANCELLED, DRAFT → CANCELLED; nothing leaves an end state", () => {
    const legal = BATCH_STATES.flatMap((from) =>
      BATCH_STATES.filter((to) => canBatchTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(legal).toEqual([
      "DRAFT→FINALIZED",
      "DRAFT→CANCELLED",
      "FINALIZED→FAILED",
      "FINALIZED→CANCELLED",
    ]);
    expect(BATCH_STATES.filter(isBatchTerminal)).toEqual(["FAILED", "CANCELLED"]);
  });

  it("a batch is done when it ended, or is FINALIZED with every request finished", () => {
    const s = (
      status: BatchSummary["status"],
      completed: number,
      failed: number,
    ): BatchSummary => ({
      id: "b",
      endpointId: "e",
      status,
      requestTotal: 3,
      requestInProgress: 0,
      requestCompleted: completed,
      requestFailed: failed,
      createdAt: 0,
    });
    expect(batchDone(s("FINALIZED", 2, 1))).toBe(true);
    expect(batchDone(s("FINALIZED", 2, 0))).toBe(false);
    expect(batchDone(s("CANCELLED", 0, 0))).toBe(true);
    expect(batchDone({ ...s("DRAFT", 0, 0), requestTotal: 0 })).toBe(false);
  });
});

describe("JobQueue", () => {
  const job = (id: string, batchId?: string) => (batchId ? { id, batchId } : { id });
  const drain = (q: JobQueue<{ id: string; batchId?: string }>) => {
    const order: string[] = [];
    for (let j = q.shift(); j; j = q.shift()) order.push(j.id);
    return order;
  };

  it("serves interactive jobs first, a batch job after every `burst` of them, batches round-robin", () => {
    const q = new JobQueue(2);
    for (const id of ["a1", "a2", "a3"]) q.add(job(id, "A"));
    for (const id of ["b1", "b2"]) q.add(job(id, "B"));
    for (const id of ["r1", "r2", "r3", "r4", "r5"]) q.add(job(id));
    expect(q.size).toBe(10);
    expect(q.batchSize).toBe(5);
    expect(drain(q)).toEqual(["r1", "r2", "a1", "r3", "r4", "b1", "r5", "a2", "b2", "a3"]);
    expect(q.size).toBe(0);
  });

  it("without batch work, interactive jobs go in FIFO order; delete takes a job out of either line", () => {
    const q = new JobQueue(1);
    const b = job("b1", "B");
    q.add(job("r1"));
    q.add(b);
    q.add(job("r2"));
    q.delete(b);
    expect([...q.values()].map((j) => j.id)).toEqual(["r1", "r2"]);
    expect(drain(q)).toEqual(["r1", "r2"]);
  });
});
