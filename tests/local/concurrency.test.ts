/** Many clients and many workers at once: every job runs exactly once and reaches its result. */
import { describe, expect, it } from "vitest";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";

describe("concurrency", () => {
  it("20 clients × 10 jobs over 4 workers × 8 slots: each job runs once, all complete", async () => {
    const p = await startPlatform();
    const runs = new Map<string, number>();
    for (let w = 0; w < 4; w++) {
      workerFor(p, `w${w}`).start(async (job, ctx) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await ctx.stream({ chunk: job.input });
        return { output: { doubled: (job.input as { n: number }).n * 2 } };
      }, 8);
    }
    const clients = Array.from({ length: 20 }, async (_, c) => {
      const api = client(p);
      const results = [];
      for (let j = 0; j < 10; j++) {
        const n = c * 100 + j;
        if (j % 3 === 0) {
          const res = await api.post("/runsync", { input: { n } });
          results.push({ n, status: res.json });
        } else {
          const { id } = (await api.post("/run", { input: { n } })).json;
          results.push({ n, status: (await api.get(`/status-sync/${id}?wait=20000`)).json });
        }
      }
      return results;
    });
    const results = (await Promise.all(clients)).flat();
    expect(results).toHaveLength(200);
    for (const { n, status } of results) {
      expect(status).toMatchObject({ status: "COMPLETED", output: { doubled: n * 2 } });
      expect(runs.get(status.id)).toBe(1);
    }
    expect(runs.size).toBe(200);
    expect(p.health().jobs).toEqual({
      completed: 200,
      failed: 0,
      inProgress: 0,
      inQueue: 0,
      retried: 0,
    });
    expect(new Set(results.map((r) => r.status.workerId)).size).toBeGreaterThan(1);
  });
});
