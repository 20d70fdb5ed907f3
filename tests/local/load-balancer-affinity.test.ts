/**
 * Worker affinity through the local load balancer (spec §5.2, §10.12): two real workers that take
 * one request at a time, so "busy" and "at capacity" are exact.
 */
import { describe, expect, it } from "vitest";
import {
  direct,
  lbEvent,
  readyWorkers,
  servedBy,
  startLb,
  workersWhen,
} from "../helpers/load-balancer.js";

const pinned = (value: string) => ({ headers: { "x-runpod-worker-id": value } });

async function twoWorkers(lb: Parameters<typeof startLb>[0] = {}) {
  const t = await startLb({
    ...lb,
    workers: { min: 2, max: 2, concurrency: 1, ...lb.workers },
  });
  const [a, b] = await readyWorkers(t.platform, 2);
  return { ...t, a: a!, b: b! };
}

/** Sends a request that the worker holds, and resolves once the balancer has given it a worker. */
async function occupy(t: Awaited<ReturnType<typeof twoWorkers>>, workerId: string, hold: string) {
  const busy = workersWhen(t.platform, (ws) => ws.some((w) => w.id === workerId && w.inFlight > 0));
  const response = fetch(`${t.url}/hold/${hold}`, pinned(`strict ${workerId}`));
  await busy;
  // Wrapped, or awaiting `occupy` would wait for the held response itself.
  return { response };
}

describe("load balancer: affinity", () => {
  it("soft: goes to the named worker, and elsewhere when it is busy or unknown", async () => {
    const t = await twoWorkers();
    for (let i = 0; i < 3; i++)
      expect(servedBy(await fetch(`${t.url}/env`, pinned(t.b.id)))).toBe(t.b.id);
    const { response: held } = await occupy(t, t.b.id, "x");
    expect(servedBy(await fetch(`${t.url}/env`, pinned(t.b.id)))).toBe(t.a.id);
    expect((await fetch(`${t.url}/env`, pinned("pod-unknown"))).status).toBe(200);
    await direct(t.b, "/release/x");
    expect(servedBy(await held)).toBe(t.b.id);
  });

  it("strict: waits while the named worker is busy, then is served by it", async () => {
    const t = await twoWorkers();
    const { response: held } = await occupy(t, t.b.id, "first");
    const waiting = lbEvent(t.platform, "lb-request", (e) => e.request.path === "/hold/first");
    const second = fetch(`${t.url}/env`, pinned(`strict ${t.b.id}`));
    // Worker a is free, yet the pinned request waits for b.
    await direct(t.b, "/release/first");
    await waiting;
    const res = await second;
    expect(res.status).toBe(200);
    expect(servedBy(res)).toBe(t.b.id);
    expect((await held).status).toBe(200);
  });

  it("strict: 400 worker_timeout when the busy worker does not free up in time", async () => {
    const t = await twoWorkers({ affinityWaitMs: 150 });
    const { response: held } = await occupy(t, t.b.id, "long");
    const res = await fetch(`${t.url}/env`, pinned(`strict ${t.b.id}`));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "worker_timeout" });
    await direct(t.b, "/release/long");
    await held;
  });

  it("strict and strict-resume: 404 affinity_worker_gone for a worker not in the active set", async () => {
    const t = await twoWorkers();
    for (const mode of ["strict", "strict-resume"]) {
      const res = await fetch(`${t.url}/env`, pinned(`${mode} pod-never-was`));
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "affinity_worker_gone" });
    }
  });

  it("strict-resume starts a scaled-down worker again under its id; strict answers 404 for it", async () => {
    const t = await startLb({ workers: { min: 0, max: 1, idleTimeoutMs: 100 } });
    const first = await fetch(`${t.url}/env`);
    const id = servedBy(first) as string;
    const { pid } = await first.json();
    await lbEvent(t.platform, "lb-worker-removed", (e) => e.id === id && e.reason === "idle");
    const strict = await fetch(`${t.url}/env`, pinned(`strict ${id}`));
    expect(strict.status).toBe(404);
    expect(await strict.json()).toEqual({ error: "affinity_worker_gone" });
    const resumed = await fetch(`${t.url}/env`, pinned(`strict-resume ${id}`));
    expect(resumed.status).toBe(200);
    expect(servedBy(resumed)).toBe(id);
    const env = await resumed.json();
    expect(env.RUNPOD_POD_ID).toBe(id);
    expect(env.pid).not.toBe(pid);
  });
});
