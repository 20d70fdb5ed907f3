/**
 * The Python SDK's `Endpoint` client cannot run here (no PyPI), so these are its requests as its
 * code builds them (§B.9.1, §B.9.2): `requests` headers, `Bearer` auth, `/runsync` without `wait`,
 * `/cancel` and `/purge-queue` without a body, 1 s `/stream` polling that stops when final and empty.
 */
import { describe, expect, it } from "vitest";
import { startPlatform, workerFor } from "../helpers/local-platform.js";

const headers = {
  "Content-Type": "application/json",
  Authorization: "Bearer py-key",
  "User-Agent": "python-requests/2.32.3",
  "Accept-Encoding": "gzip, deflate",
  Accept: "*/*",
};

async function py(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("Python Endpoint client requests", () => {
  it("run + status + cancel + health + purge_queue", async () => {
    const p = await startPlatform({ apiKey: "py-key" });
    // RUNPOD_ENDPOINT_BASE_URL=${url}/v2; Endpoint("local") → ${base}/local/...
    const base = `${p.url}/v2/${p.endpointId}`;
    const run = await py(base, "POST", "/run", { input: { prompt: "x" } });
    expect(run).toEqual({ status: 200, json: { id: expect.any(String), status: "IN_QUEUE" } });
    const id = run.json.id as string;
    expect((await py(base, "GET", `/status/${id}`)).json.status).toBe("IN_QUEUE");
    expect((await py(base, "GET", "/health")).json.jobs).toMatchObject({ inQueue: 1 });
    expect((await py(base, "POST", `/cancel/${id}`)).json).toEqual({ id, status: "CANCELLED" });
    await py(base, "POST", "/run", { input: {} });
    expect((await py(base, "POST", "/purge-queue")).json).toEqual({
      removed: 1,
      status: "completed",
    });
  });

  it("run_sync posts /runsync without wait and reads the output", async () => {
    const p = await startPlatform({ apiKey: "py-key" });
    workerFor(p).start(async (job) => ({ output: { got: job.input } }));
    const res = await py(`${p.endpointUrl}`, "POST", "/runsync", { input: { a: 1 } });
    expect(res.json).toMatchObject({ status: "COMPLETED", output: { got: { a: 1 } } });
  });

  it("stream polling collects every chunk and stops when final and empty", async () => {
    const p = await startPlatform({ apiKey: "py-key", streamWaitMs: 0 });
    const worker = workerFor(p);
    const { id } = (await py(p.endpointUrl, "POST", "/run", { input: {} })).json as { id: string };
    await worker.take();
    await worker.streamChunk(id, "a");
    await worker.streamChunk(id, "b");
    const outputs: unknown[] = [];
    let finished = false;
    for (;;) {
      const { json } = await py(p.endpointUrl, "GET", `/stream/${id}`);
      const chunks = json.stream as Array<{ output: unknown }>;
      for (const c of chunks) outputs.push(c.output);
      if (
        ["COMPLETED", "FAILED", "TIMED_OUT"].includes(json.status as string) &&
        chunks.length === 0
      )
        break;
      if (!finished) {
        await worker.streamChunk(id, "c");
        await worker.done(id, { output: [] }, true);
        finished = true;
      }
    }
    expect(outputs).toEqual(["a", "b", "c"]);
  });
});
