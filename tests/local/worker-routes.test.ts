/** The worker-facing API (§A.14) over real HTTP, with the Python worker's headers and bodies. */
import { describe, expect, it } from "vitest";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";

describe("worker routes", () => {
  it("job-take holds and answers 204 when nothing came within the hold", async () => {
    const p = await startPlatform({ longPollMs: 50 });
    const res = await fetch(`${p.endpointUrl}/job-take/w1?gpu=x&job_in_progress=0`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("a held job-take is released as soon as a job is submitted", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const worker = workerFor(p);
    const taking = worker.take();
    // The hold is 60 s: the test finishes only if the submission releases it.
    const { id } = (await client(p).post("/run", { input: { q: 1 } })).json;
    expect(await taking).toEqual({ id, input: { q: 1 } });
  });

  it("drainWorker answers the worker's held job-take with 204 and hands it no job until it ends", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const api = client(p);
    const take = (workerId: string) =>
      fetch(`${p.endpointUrl}/job-take/${workerId}?gpu=x&job_in_progress=0`);
    const held = take("w1");
    const other = workerFor(p, "w2").take();
    await expect.poll(() => p.heldRequests()).toBe(2);
    const undrain = p.drainWorker("w1");
    // The hold is 60 s: only the drain can have answered it.
    expect((await held).status).toBe(204);
    const { id } = (await api.post("/run", { input: {} })).json;
    // Another worker's take is not drained: the job goes to it.
    expect(await other).toEqual({ id, input: {} });
    await api.post("/run", { input: { n: 2 } });
    // Drained, w1 is answered at once even with a job queued; the job waits for another take.
    expect((await take("w1")).status).toBe(204);
    undrain();
    expect(await (await take("w1")).json()).toMatchObject({ input: { n: 2 } });
  });

  it("job-take-batch answers an array of up to batch_size jobs, and passes webhook and s3Config", async () => {
    const p = await startPlatform();
    const api = client(p);
    const s3Config = {
      accessId: "a",
      accessSecret: "s",
      bucketName: "b",
      endpointUrl: "https://s3",
    };
    const first = (
      await api.post("/run", { input: { n: 1 }, webhook: "http://127.0.0.1:9/h", s3Config })
    ).json.id;
    const second = (await api.post("/run", { input: { n: 2 } })).json.id;
    await api.post("/run", { input: { n: 3 } });
    const worker = workerFor(p);
    expect(await worker.takeBatch(2)).toEqual([
      { id: first, input: { n: 1 }, webhook: "http://127.0.0.1:9/h", s3Config },
      { id: second, input: { n: 2 } },
    ]);
    expect(await worker.takeBatch(8)).toHaveLength(1);
  });

  it("a held job-take-batch is released with the first job", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const taking = workerFor(p).takeBatch(4);
    const { id } = (await client(p).post("/run", { input: {} })).json;
    expect((await taking).map((j) => j.id)).toEqual([id]);
  });

  it("job-take-batch rejects a non-numeric batch_size", async () => {
    const p = await startPlatform();
    const res = await fetch(`${p.endpointUrl}/job-take-batch/w1?gpu=x&batch_size=lots`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "query batch_size: must be a whole number" });
  });

  it("job-done with error fails the job; a non-string error is kept as JSON text", async () => {
    const p = await startPlatform();
    const api = client(p);
    const a = (await api.post("/run", { input: {} })).json.id;
    const b = (await api.post("/run", { input: {} })).json.id;
    const worker = workerFor(p);
    await worker.takeBatch(2);
    await worker.done(a, { output: { partial: true }, error: "bad thing" });
    await worker.done(b, { error: { code: 7 } });
    expect((await api.get(`/status/${a}`)).json).toMatchObject({
      status: "FAILED",
      error: "bad thing",
      output: { partial: true },
    });
    expect((await api.get(`/status/${b}`)).json).toMatchObject({
      status: "FAILED",
      error: '{"code":7}',
    });
  });

  it("a body without output completes the job without output", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = (await api.post("/run", { input: {} })).json.id;
    const worker = workerFor(p);
    await worker.take();
    await worker.done(id, {});
    const status = (await api.get(`/status/${id}`)).json;
    expect(status.status).toBe("COMPLETED");
    expect("output" in status).toBe(false);
  });

  it("stopPod marks the worker for refresh", async () => {
    const p = await startPlatform();
    const id = (await client(p).post("/run", { input: {} })).json.id;
    const worker = workerFor(p);
    await worker.take();
    await worker.done(id, { output: 1, stopPod: true });
    expect(p.workers()).toEqual([expect.objectContaining({ id: "w1", refreshRequested: true })]);
  });

  it("job-done and job-stream reject bodies that are not objects, and unknown jobs", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = (await api.post("/run", { input: {} })).json.id;
    const worker = workerFor(p);
    await worker.take();
    const done = await fetch(`${p.endpointUrl}/job-done/w1/${id}?isStream=false`, {
      method: "POST",
      body: "[1, 2]",
    });
    expect(done.status).toBe(400);
    expect(await done.json()).toEqual({ error: "job-done body must be a JSON object" });
    const chunk = await fetch(`${p.endpointUrl}/job-stream/w1/${id}?isStream=false`, {
      method: "POST",
      body: '{"no_output": 1}',
    });
    expect(chunk.status).toBe(400);
    const garbage = await fetch(`${p.endpointUrl}/job-done/w1/${id}`, {
      method: "POST",
      body: "{oops",
    });
    expect(garbage.status).toBe(400);
    expect((await worker.done("nope-u1", { output: 1 })).status).toBe(404);
    expect((await worker.streamChunk("nope-u1", 1)).status).toBe(404);
    expect((await api.get(`/status/${id}`)).json.status).toBe("IN_PROGRESS");
  });

  it("reports from a worker that does not run the job are ignored", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = (await api.post("/run", { input: {} })).json.id;
    await workerFor(p, "owner").take();
    const other = workerFor(p, "other");
    expect((await other.done(id, { output: "stolen" })).status).toBe(200);
    expect((await other.streamChunk(id, "x")).status).toBe(200);
    expect((await api.get(`/status/${id}`)).json).toMatchObject({
      status: "IN_PROGRESS",
      workerId: "owner",
    });
    expect((await api.get(`/stream/${id}?wait=0`)).json.stream).toEqual([]);
  });

  it("ping answers 200 and registers the worker with its version", async () => {
    const p = await startPlatform();
    const res = await workerFor(p).ping();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(p.workers()).toEqual([
      expect.objectContaining({ id: "w1", state: "idle", version: "1.12.0", jobs: [] }),
    ]);
  });

  it("job-stop holds and answers 204 when no stop came", async () => {
    const p = await startPlatform({ longPollMs: 50 });
    const res = await fetch(`${p.endpointUrl}/job-stop/w1?gpu=x`);
    expect(res.status).toBe(204);
  });

  it("a worker counts as running while it has a job", async () => {
    const p = await startPlatform();
    const api = client(p);
    const id = (await api.post("/run", { input: {} })).json.id;
    const worker = workerFor(p);
    await worker.take();
    expect(p.workers()[0]).toMatchObject({ state: "running", jobs: [id] });
    await worker.done(id, { output: 1 });
    expect(p.workers()[0]).toMatchObject({ state: "idle", jobs: [] });
  });

  const settle = () => new Promise((r) => setImmediate(r));

  it("a job-take whose client went away does not swallow the next job", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const gone = new AbortController();
    const taking = fetch(`${p.endpointUrl}/job-take/gone`, { signal: gone.signal }).catch(
      () => "aborted",
    );
    while (p.heldRequests() < 1) await settle();
    gone.abort();
    expect(await taking).toBe("aborted");
    while (p.heldRequests() > 0) await settle(); // the platform noticed the hang-up
    const { id } = (await client(p).post("/run", { input: {} })).json;
    expect((await workerFor(p, "w2").take())?.id).toBe(id);
    expect(p.jobs()[0]).toMatchObject({ status: "IN_PROGRESS", workerId: "w2" });
  });

  it("a job-stop whose client went away keeps its ids for the next poll", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const worker = workerFor(p);
    await worker.take();
    const gone = new AbortController();
    const polling = worker.stopPoll(gone.signal).catch(() => "aborted");
    while (p.heldRequests() < 1) await settle();
    gone.abort();
    expect(await polling).toBe("aborted");
    while (p.heldRequests() > 0) await settle();
    await api.post(`/cancel/${id}`);
    expect(await worker.stopPoll()).toEqual([id]);
  });
});
