/** The dashboard's load-balancer data: workers (state, in flight, cold start) and recent requests. */
import { describe, expect, it } from "vitest";
import { readyWorkers, startLb } from "../helpers/load-balancer.js";
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
    expect(state.loadBalancer.url).toBe(url);
    expect(state.loadBalancer.workers).toEqual([
      expect.objectContaining({ id: "lb-worker-1", state: "ready", status: "IDLE", inFlight: 0 }),
    ]);
    // First 204 seen to first 200 seen: some of the 400 ms init, never more than since the start.
    const [w] = state.loadBalancer.workers;
    expect(w.coldStartMs).toBeGreaterThan(0);
    expect(w.coldStartMs).toBeLessThanOrEqual(w.readyAt - w.startedAt);
    expect(state.loadBalancer.requests.at(-1)).toMatchObject({ path: "/status/201", status: 201 });
  });

  it("has no load-balancer data when the platform runs none", async () => {
    const platform = await startPlatform({ dashboard: true });
    const state = await (await fetch(`${platform.url}/_dashboard/api/state`)).json();
    expect(state.loadBalancer).toBeUndefined();
  });
});
