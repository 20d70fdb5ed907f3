/**
 * The local load balancer in front of real worker processes (spec load-balancing.md §10): the
 * env contract, health gating, proxying unchanged, streaming, WebSockets, worker ids, no retries.
 */
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  direct,
  lbEvent,
  readyWorkers,
  servedBy,
  startLb,
  workersWhen,
} from "../helpers/load-balancer.js";
import { SseReader } from "../helpers/sse-reader.js";

describe("load balancer: workers and health", () => {
  it("starts workers with PORT, PORT_HEALTH and HEALTH_CHECK_PATH, one port by default", async () => {
    const { url, platform } = await startLb();
    const res = await fetch(`${url}/env`);
    expect(res.status).toBe(200);
    const env = await res.json();
    const [worker] = platform.loadBalancerWorkers();
    expect(env).toMatchObject({
      PORT: String(worker?.port),
      PORT_HEALTH: String(worker?.port),
      HEALTH_CHECK_PATH: "/ping",
      RUNPOD_POD_ID: worker?.id,
    });
    expect(servedBy(res)).toBe(worker?.id);
  });

  it("polls a custom path on a separate health port, periodically", async () => {
    const { url, platform } = await startLb({ healthPath: "/healthz", separateHealthPort: true });
    const env = await (await fetch(`${url}/env`)).json();
    const [worker] = await readyWorkers(platform, 1);
    expect(env.HEALTH_CHECK_PATH).toBe("/healthz");
    expect(env.PORT_HEALTH).not.toBe(env.PORT);
    expect(Number(env.PORT_HEALTH)).toBe(worker?.healthPort);
    // The health server counts the polls it answered; more keep coming.
    const hits = async () => Number(await (await direct(worker!, "/health-hits", "GET")).text());
    const first = await hits();
    expect(first).toBeGreaterThan(0);
    await expect.poll(hits, { interval: 20 }).toBeGreaterThan(first + 2);
  });

  it("holds a request while the worker answers 204, serves it after 200, and records the cold start", async () => {
    const { url, platform } = await startLb({}, {}, { LBW_INIT_MS: "400" });
    const initializing = await workersWhen(platform, (ws) => ws[0]?.state === "initializing");
    const served = lbEvent(platform, "lb-request");
    const res = await fetch(`${url}/env`);
    expect(res.status).toBe(200);
    const { request } = await served;
    const [worker] = platform.loadBalancerWorkers();
    expect(worker?.state).toBe("ready");
    // It was routed only once the worker was ready, after waiting for it.
    expect(request.startedAt + request.waitMs).toBeGreaterThanOrEqual(worker?.readyAt ?? Infinity);
    expect(request.waitMs).toBeGreaterThan(0);
    expect(initializing[0]?.status).toBe("INITIALIZING");
    // First 204 seen to first 200 seen: part of the 400 ms init (the first polls may come after
    // the worker began it), never more than its whole time since the start.
    expect(worker?.coldStartMs).toBeGreaterThan(0);
    expect(worker?.coldStartMs).toBeLessThanOrEqual(
      (worker?.readyAt ?? 0) - (worker?.startedAt ?? 0),
    );
  });

  it("stops routing to a worker whose health turns 500, after the next poll", async () => {
    const { url, platform } = await startLb({ workers: { min: 2, max: 2 } });
    const [a, b] = await readyWorkers(platform, 2);
    const unhealthy = workersWhen(platform, (ws) =>
      ws.some((w) => w.id === a?.id && w.state === "unhealthy"),
    );
    await direct(a!, "/set-health/500");
    const workers = await unhealthy;
    expect(workers.find((w) => w.id === a?.id)).toMatchObject({
      status: "UNHEALTHY",
      unhealthyReason: "GET /ping answered 500",
    });
    for (let i = 0; i < 4; i++) expect(servedBy(await fetch(`${url}/env`))).toBe(b?.id);
  });

  it("names the serving worker on every response: two workers, two ids", async () => {
    const { url, platform } = await startLb({ workers: { min: 2, max: 2 } });
    await readyWorkers(platform, 2);
    const ids = new Set<string | null>();
    for (let i = 0; i < 4; i++) ids.add(servedBy(await fetch(`${url}/env`)));
    expect(ids).toEqual(new Set(platform.loadBalancerWorkers().map((w) => w.id)));
  });
});

describe("load balancer: proxying", () => {
  it("passes method, path, query, headers and body through unchanged", async () => {
    const { url } = await startLb();
    const res = await fetch(`${url}/echo/a%20b?x=1&y=%C3%A9`, {
      method: "PUT",
      headers: { "content-type": "text/plain", "x-custom": "v1" },
      body: "plain text body",
    });
    const echo = await res.json();
    expect(echo.method).toBe("PUT");
    expect(echo.url).toBe("/echo/a%20b?x=1&y=%C3%A9");
    expect(echo.body).toBe("plain text body");
    const headers: string[] = echo.headers;
    expect(headers[headers.indexOf("x-custom") + 1]).toBe("v1");
    expect(headers[headers.indexOf("content-type") + 1]).toBe("text/plain");
    expect(headers[headers.indexOf("host") + 1]).toBe(new URL(url).host);
  });

  it("passes the worker's status and body back: a 422 stays a 422", async () => {
    const { url } = await startLb();
    const res = await fetch(`${url}/status/422`, { method: "POST", body: "{}" });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ status: 422 });
  });

  it("streams Server-Sent Events as they are written, not when the response ends", async () => {
    const { url, platform } = await startLb();
    const [worker] = await readyWorkers(platform, 1);
    const res = await fetch(`${url}/sse`);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = new SseReader(res.body!);
    // The worker holds its response open after the first event: it can only arrive incrementally.
    expect((await reader.next())?.data).toBe("first");
    await direct(worker!, "/release/sse");
    expect((await reader.next())?.data).toBe("second");
    expect((await reader.next())?.data).toBe("done");
    expect(await reader.next()).toBeUndefined();
  });

  it("relays a WebSocket session both ways, naming the worker on the upgrade", async () => {
    const { url, platform } = await startLb();
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
    const upgrade = new Promise<string | undefined>((resolve) =>
      ws.once("upgrade", (res) => resolve(res.headers["x-runpod-worker-id"] as string)),
    );
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const reply = new Promise<string>((resolve) =>
      ws.once("message", (data) => resolve(String(data))),
    );
    ws.send("hello");
    expect(await reply).toBe("echo: hello");
    expect(await upgrade).toBe(platform.loadBalancerWorkers()[0]?.id);
    expect(platform.loadBalancerWorkers()[0]?.inFlight).toBe(1);
    const ended = lbEvent(platform, "lb-request");
    ws.close();
    expect((await ended).request).toMatchObject({ status: 101, path: "/ws" });
    expect(platform.loadBalancerWorkers()[0]?.inFlight).toBe(0);
  });

  it("never retries: a 500 and a dropped connection each reach exactly one worker once", async () => {
    const { url, platform } = await startLb({ workers: { min: 2, max: 2 } });
    const workers = await readyWorkers(platform, 2);
    expect((await fetch(`${url}/status/500`, { method: "POST" })).status).toBe(500);
    const reset = await fetch(`${url}/reset`, { method: "POST" });
    expect(reset.status).toBe(502);
    expect((await reset.json()).error).toMatch(/^worker lb-worker-\d+ failed: /);
    let total = 0;
    for (const w of workers) total += (await (await direct(w, "/count", "GET")).json()).served;
    expect(total).toBe(2);
  });
});
