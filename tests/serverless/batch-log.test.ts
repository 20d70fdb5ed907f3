/** The `[batchId=…]` prefix of a batch job's log lines (batch-jobs.md §5, runpod-python ≥ 1.12). */
import { describe, expect, it } from "vitest";
import { WorkerLog } from "../../src/serverless/log.js";

describe("batch job log lines", () => {
  it("lines about a batch job carry its batch id until it is left; other lines do not", () => {
    const lines: string[] = [];
    const log = new WorkerLog("DEBUG", false, { write: (l) => lines.push(l) });
    log.enterBatchJob("j1", "batch_01");
    log.info("Started.", "j1");
    log.info("Started.", "j2");
    log.forJob("j1").warn("from the handler");
    log.info("Jobs in queue: 1");
    log.leaveBatchJob("j1");
    log.info("Finished.", "j1");
    expect(lines).toEqual([
      "INFO   | j1 | [batchId=batch_01] Started.\n",
      "INFO   | j2 | Started.\n",
      "WARN   | j1 | [batchId=batch_01] from the handler\n",
      "INFO   | Jobs in queue: 1\n",
      "INFO   | j1 | Finished.\n",
    ]);
  });

  it("on the platform the prefix is inside the JSON message, before truncation", () => {
    const lines: string[] = [];
    const log = new WorkerLog("INFO", true, { write: (l) => lines.push(l) });
    log.enterBatchJob("j1", "batch_01");
    log.error("x".repeat(5000), "j1");
    const line = JSON.parse(lines[0] as string) as { requestId: string; message: string };
    expect(line.requestId).toBe("j1");
    expect(line.message.startsWith("[batchId=batch_01] xxx")).toBe(true);
    expect(line.message).toContain("...TRUNCATED 923 CHARACTERS...");
  });
});
