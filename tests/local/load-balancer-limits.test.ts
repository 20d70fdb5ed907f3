/**
 * The local load balancer's limits and life cycle with real workers (spec §10.7–10, 14, 15):
 * waiting and giving up, the processing timeout, payload caps, scaling, a never-healthy worker,
 * and draining on close.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lbEvent, readyWorkers, servedBy, startLb, workersWhen } from "../helpers/load-balancer.js";
import { spawnWorker } from "../helpers/worker-process.js";

describe("load balancer: waiting and timeouts", () => {
  it("with no worker to serve, holds a request for the request timeout, then 503 no workers available", async () => {
    const { url } = await startLb({ requestTimeoutMs: 150, workers: { min: 0, max: 0 } });
    const started = Date.now();
    const res = await fetch(`${url}/env`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "no workers available" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.headers.get("x-runpod-worker-id")).toBeNull();
  });

  it("answers 504 when the worker runs past the processing timeout, naming the worker", async () => {
    const { url, platform } = await startLb({ processingTimeoutMs: 150 });
    const [worker] = await readyWorkers(platform, 1);
    const res = await fetch(`${url}/hold/forever`);
    expect(res.status).toBe(504);
    expect(servedBy(res)).toBe(worker?.id);
    expect(await res.json()).toEqual({
      error: "the worker did not finish within the processing timeout",
    });
    // The slot is free again: the balancer counted the request as over.
    await workersWhen(platform, (ws) => ws[0]?.inFlight === 0);
  });
});

describe("load balancer: payload limit", () => {
  it("refuses a 31 MB body with 413 before any worker sees it (30 MB default)", async () => {
    const { url, platform } = await startLb();
    const [worker] = await readyWorkers(platform, 1);
    const res = await fetch(`${url}/echo`, {
      method: "POST",
      body: Buffer.alloc(31 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe("request body over the 31457280-byte payload limit");
    expect(platform.loadBalancerWorkers()[0]?.served).toBe(worker?.served);
  });

  it("cuts a streamed request body over the limit with 413, and passes one under it", async () => {
    const { url } = await startLb({ payloadLimitBytes: 100_000 });
    const streamed = (bytes: number) =>
      new ReadableStream({
        start(controller) {
          for (let sent = 0; sent < bytes; sent += 10_000)
            controller.enqueue(new Uint8Array(10_000));
          controller.close();
        },
      });
    const under = await fetch(`${url}/echo`, {
      method: "POST",
      body: streamed(90_000),
      duplex: "half",
    } as RequestInit);
    expect((await under.json()).bodyLength).toBe(90_000);
    const over = await fetch(`${url}/echo`, {
      method: "POST",
      body: streamed(200_000),
      duplex: "half",
    } as RequestInit);
    expect(over.status).toBe(413);
  });

  it("answers 502 for a response declared over the limit, and cuts one that grows past it", async () => {
    const { url } = await startLb({ payloadLimitBytes: 100_000 });
    const declared = await fetch(`${url}/big?bytes=200000&declared=1`);
    expect(declared.status).toBe(502);
    expect((await declared.json()).error).toBe("response over the 100000-byte payload limit");
    const small = await fetch(`${url}/big?bytes=50000`);
    expect((await small.arrayBuffer()).byteLength).toBe(50_000);
    const streamed = await fetch(`${url}/big?bytes=500000`);
    expect(streamed.status).toBe(200);
    await expect(streamed.arrayBuffer()).rejects.toThrow();
  });
});

describe("load balancer: scaling", () => {
  it("starts a worker per concurrent request (requestCount 1) and stops both after the idle timeout", async () => {
    const { url, platform } = await startLb({
      workers: { min: 0, max: 2, requestCount: 1, idleTimeoutMs: 200, concurrency: 1 },
    });
    expect(platform.loadBalancerWorkers()).toEqual([]);
    const removed: string[] = [];
    const bothGone = new Promise<void>((resolve) =>
      platform.subscribe((e) => {
        if (e.type === "lb-worker-removed" && e.reason === "idle" && removed.push(e.id) === 2)
          resolve();
      }),
    );
    const held = [fetch(`${url}/hold/a`), fetch(`${url}/hold/b`)];
    const busy = await workersWhen(
      platform,
      (ws) => ws.filter((w) => w.inFlight === 1).length === 2,
    );
    expect(busy.map((w) => w.id).sort()).toEqual(["lb-worker-1", "lb-worker-2"]);
    // Which worker holds which is the balancer's choice: release both names on both.
    for (const w of busy)
      for (const n of ["a", "b"])
        await fetch(`http://127.0.0.1:${w.port}/release/${n}`, { method: "POST" });
    const served = await Promise.all(held);
    expect(new Set(served.map(servedBy))).toEqual(new Set(["lb-worker-1", "lb-worker-2"]));
    await bothGone;
    expect(removed.sort()).toEqual(["lb-worker-1", "lb-worker-2"]);
    expect(platform.loadBalancerWorkers()).toEqual([]);
  });

  it("never scales below min", async () => {
    const { url, platform } = await startLb({
      workers: { min: 1, max: 2, requestCount: 1, idleTimeoutMs: 50 },
    });
    await readyWorkers(platform, 1);
    const removed = lbEvent(platform, "lb-worker-removed");
    const held = [fetch(`${url}/hold/a`), fetch(`${url}/hold/a`)];
    const two = await readyWorkers(platform, 2);
    for (const w of two) await fetch(`http://127.0.0.1:${w.port}/release/a`, { method: "POST" });
    await Promise.all(held);
    expect((await removed).reason).toBe("idle");
    // The survivor's idle timer has run out too: it stays, being the minimum.
    await workersWhen(platform, (ws) => ws.length === 1 && ws[0]?.state === "ready");
    expect(platform.loadBalancerWorkers()).toHaveLength(1);
  });
});

describe("load balancer: misconfigured and draining workers", () => {
  it("answers 502 while a worker never answers its health check, then removes it after the grace", async () => {
    const { url, platform } = await startLb(
      { startupTimeoutMs: 150, unhealthyGraceMs: 600, workers: { min: 0, max: 1 } },
      {},
      { LBW_NO_LISTEN: "1" },
    );
    const removed = lbEvent(platform, "lb-worker-removed");
    const res = await fetch(`${url}/env`);
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatch(
      /^no worker answers its health check \(lb-worker-1: no answer to GET \/ping on port \d+\)$/,
    );
    expect(platform.loadBalancerWorkers()[0]).toMatchObject({
      state: "unhealthy",
      status: "UNHEALTHY",
    });
    expect(await removed).toEqual({
      type: "lb-worker-removed",
      id: "lb-worker-1",
      endpointId: "local-lb",
      reason: "unhealthy",
    });
  });

  it("on close, lets an in-flight request finish, refuses new ones, and leaves no process behind", async () => {
    const { url, platform, logged } = await startLb();
    const [worker] = await readyWorkers(platform, 1);
    const inFlight = fetch(`${url}/hold/drain`);
    await logged(/holding drain/);
    const stopping = workersWhen(platform, (ws) => ws[0]?.state === "stopping");
    const closed = platform.close();
    await stopping;
    await expect(fetch(`${url}/env`)).rejects.toThrow();
    // The worker is draining and takes no new connections; a signal lets its request finish.
    process.kill(worker!.pid!, "SIGUSR2");
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ released: "drain", worker: worker?.id });
    await closed;
    expect(() => process.kill(worker!.pid!, 0)).toThrow();
    expect(platform.loadBalancerWorkers()).toEqual([]);
  });
});

describe("load balancer: no orphans", () => {
  it("takes its workers along when its process is ended by a signal it does not handle", async () => {
    const host = spawnWorker("../../local/fixtures/lb-host-process.mjs", {});
    const line = await host.waitForLine(/^worker pid \d+$/);
    const pid = Number(line.split(" ")[2]);
    expect(() => process.kill(pid, 0)).not.toThrow();
    host.child.kill("SIGTERM");
    expect(await host.exited).toEqual({ code: null, signal: "SIGTERM" });
    // SIGKILL is sent before the host goes; a killed worker may stay a zombie until it is reaped.
    const state = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] === "Z"
          ? "gone"
          : "alive";
      } catch {
        return "gone";
      }
    };
    await expect.poll(state, { timeout: 10_000 }).toBe("gone");
  });
});
