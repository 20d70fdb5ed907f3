/**
 * The dashboard's load-balancer data: every load-balancing endpoint (the `loadBalancer` option's
 * and those created through REST v2), their workers (state, in flight, cold start) and recent
 * requests, also as `subscribe()` events.
 */
import { describe, expect, it } from "vitest";
import type { LbWorkerSnapshot, PlatformEvent } from "../../src/local/index.js";
import {
  createLbEndpoint,
  lbEvent,
  readyWorkers,
  servedBy,
  startLb,
} from "../helpers/load-balancer.js";
import { startPlatform } from "../helpers/local-platform.js";
import { SseReader } from "../helpers/sse-reader.js";

describe("dashboard: load balancer", () => {
  it("reports the balancer's workers and requests in the state and as live changes", async () => {
    const { url, platform } = await startLb({}, { dashboard: true }, { LBW_INIT_MS: "400" });
    await readyWorkers(platform, 1);
    const events = await fetch(`${platform.url}/_dashboard/api/events`);
    const reader = new SseReader(events.body!);
    expect((await reader.next())?.event).toBe("state");
    expect((await fetch(`${url}/status/201`, { method: "POST" })).status).toBe(201);

    // The request arrives as a change, with the worker that served it.
    for (;;) {
      const frame = await reader.next();
      if (frame?.event !== "changes") continue;
      const change = JSON.parse(frame.data).find((c: { type: string }) => c.type === "lb-request");
      if (change === undefined) continue;
      expect(change.request).toMatchObject({
        method: "POST",
        path: "/status/201",
        status: 201,
        workerId: "lb-worker-1",
      });
      break;
    }
    await reader.cancel();

    const state = await (await fetch(`${platform.url}/_dashboard/api/state`)).json();
    expect(state.loadBalancer.endpoints).toEqual([
      { id: "local-lb", url, createdAt: expect.any(Number) },
    ]);
    expect(state.loadBalancer.workers).toEqual([
      expect.objectContaining({
        id: "lb-worker-1",
        endpointId: "local-lb",
        state: "ready",
        status: "IDLE",
        inFlight: 0,
      }),
    ]);
    // First 204 seen to first 200 seen: some of the 400 ms init, never more than since the start.
    const [w] = state.loadBalancer.workers;
    expect(w.coldStartMs).toBeGreaterThan(0);
    expect(w.coldStartMs).toBeLessThanOrEqual(w.readyAt - w.startedAt);
    expect(state.loadBalancer.requests.at(-1)).toMatchObject({ path: "/status/201", status: 201 });
  });

  it("shows endpoints created through REST v2 like the configured one, with platform-unique worker ids", async () => {
    const { url, platform } = await startLb({}, { dashboard: true });
    const [first] = await readyWorkers(platform, 1);
    const events: PlatformEvent[] = [];
    platform.subscribe((e) => {
      if (e.type.startsWith("lb-")) events.push(e);
    });
    const announced = lbEvent(platform, "lb-endpoint");
    const made = await createLbEndpoint(platform.url, { LBW_INIT_MS: "300" });
    expect((await announced).endpoint).toEqual({
      id: made.id,
      url: made.base,
      createdAt: expect.any(Number),
    });

    // Its first request starts its first worker, numbered after the configured endpoint's.
    const res = await fetch(`${made.base}/status/202`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(servedBy(res)).toBe("lb-worker-2");
    expect(servedBy(await fetch(`${url}/status/200`, { method: "POST" }))).toBe(first?.id);

    const seen = (type: string) => events.filter((e) => e.type === type);
    const workers = seen("lb-worker").map((e) => (e as { worker: LbWorkerSnapshot }).worker);
    expect(workers.filter((w) => w.id === "lb-worker-2").map((w) => w.endpointId)).toContain(
      made.id,
    );
    expect(workers.find((w) => w.id === "lb-worker-2" && w.endpointId !== made.id)).toBeUndefined();
    expect(seen("lb-request").map((e) => (e as { request: object }).request)).toEqual([
      expect.objectContaining({
        endpointId: made.id,
        path: "/status/202",
        workerId: "lb-worker-2",
      }),
      expect.objectContaining({
        endpointId: "local-lb",
        path: "/status/200",
        workerId: "lb-worker-1",
      }),
    ]);

    const state = await (await fetch(`${platform.url}/_dashboard/api/state`)).json();
    expect(state.loadBalancer.endpoints.map((e: { id: string }) => e.id)).toEqual([
      "local-lb",
      made.id,
    ]);
    expect(
      state.loadBalancer.workers.map((w: LbWorkerSnapshot) => [w.id, w.endpointId, w.state]),
    ).toEqual([
      ["lb-worker-1", "local-lb", "ready"],
      ["lb-worker-2", made.id, "ready"],
    ]);
    expect(state.loadBalancer.workers[1].coldStartMs).toEqual(expect.any(Number));
    expect(
      state.loadBalancer.requests.map((r: { endpointId: string; seq: number }) => [
        r.endpointId,
        r.seq,
      ]),
    ).toEqual([
      [made.id, 1],
      ["local-lb", 1],
    ]);
  });

  it("has no load-balancer data when the platform runs none", async () => {
    const platform = await startPlatform({ dashboard: true });
    const state = await (await fetch(`${platform.url}/_dashboard/api/state`)).json();
    expect(state.loadBalancer).toBeUndefined();
  });
});
