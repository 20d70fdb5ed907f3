/**
 * `serverless.serve()` workers behind the real local load balancer: health gating during a slow
 * init, streaming and WebSockets through both, the SIGTERM drain, and `--rp_serve_api`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { lbEvent, servedBy, startLb, workersWhen } from "../helpers/load-balancer.js";
import { SseReader } from "../helpers/sse-reader.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

const root = resolve(import.meta.dirname, "../..");
const LB_APP = resolve(root, "tests/serverless/fixtures/lb-app.ts");
const SERVE_COMMAND = [
  process.execPath,
  "--import",
  pathToFileURL(resolve(root, "node_modules/tsx/dist/loader.mjs")).href,
  "--import",
  pathToFileURL(resolve(root, "tests/helpers/define-version.mjs")).href,
  LB_APP,
];

let gates: string;
beforeEach(() => {
  gates = mkdtempSync(join(tmpdir(), "runpod-lb-local-gates-"));
});
afterEach(() => rmSync(gates, { recursive: true, force: true }));
/** The fixture's routes wait until the test creates their gate file. */
const open = (...names: string[]) => {
  for (const name of names) writeFileSync(join(gates, name), "");
};

function startServeLb(lb: Parameters<typeof startLb>[0] = {}, env: Record<string, string> = {}) {
  return startLb({ command: SERVE_COMMAND, ...lb }, {}, { GATE_DIR: gates, ...env });
}

describe("load balancer with serve() workers", () => {
  it("holds requests while init runs (204), serves them once the worker says 200", async () => {
    const { url, platform } = await startServeLb({}, { INIT_GATE: "init" });
    await workersWhen(platform, (ws) => ws[0]?.state === "initializing");
    const held = fetch(`${url}/echo?x=1`);
    open("init");
    const res = await held;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ path: "/echo", query: { x: "1" } });
    expect(servedBy(res)).toBe("lb-worker-1");
    expect(platform.loadBalancerWorkers()[0]?.coldStartMs).toBeGreaterThanOrEqual(0);
  });

  it("streams SSE event by event and relays a WebSocket echo", async () => {
    const { url, platform } = await startServeLb();
    await workersWhen(platform, (ws) => ws[0]?.state === "ready");
    const reader = new SseReader((await fetch(`${url}/sse/s`)).body!);
    open("s-1");
    expect((await reader.next())?.data).toBe("1");
    open("s-2");
    expect((await reader.next())?.data).toBe("2");
    open("s-3");
    expect((await reader.next())?.data).toBe("3");
    const ws = new WebSocket(`${url.replace("http", "ws")}/socket`);
    await new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
    const reply = new Promise<string>((ok) => ws.once("message", (d) => ok(String(d))));
    ws.send("hi");
    expect(await reply).toBe("echo:hi");
    ws.close();
  });

  it("SIGTERM: the in-flight request completes, a new one is not routed to the draining worker", async () => {
    const { url, platform, logged } = await startServeLb({
      requestTimeoutMs: 300,
      workers: { min: 1, max: 1 },
    });
    const [worker] = await workersWhen(platform, (ws) => ws[0]?.state === "ready");
    const inFlight = fetch(`${url}/hold/drain`);
    await logged(/HOLD drain/);
    const unroutable = workersWhen(platform, (ws) => ws[0]?.state === "unhealthy");
    process.kill(worker!.pid!, "SIGTERM");
    await unroutable;
    const refused = await fetch(`${url}/echo`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: "no workers available" });
    const gone = lbEvent(platform, "lb-worker-removed", (e) => e.id === worker?.id);
    open("drain");
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ released: "drain" });
    expect((await gone).reason).toBe("exited");
  });

  it("restartLoadBalancerWorkers: the old worker drains its request, a fresh one takes new ones", async () => {
    const { url, platform, logged } = await startServeLb({ workers: { min: 1, max: 1 } });
    await workersWhen(platform, (ws) => ws[0]?.state === "ready");
    const inFlight = fetch(`${url}/hold/restart`);
    await logged(/HOLD restart/);
    const gone = lbEvent(platform, "lb-worker-removed", (e) => e.id === "lb-worker-1");
    const restarted = platform.restartLoadBalancerWorkers();
    await workersWhen(platform, (ws) =>
      ws.some((w) => w.id === "lb-worker-2" && w.state === "ready"),
    );
    const fresh = await fetch(`${url}/echo`);
    expect(servedBy(fresh)).toBe("lb-worker-2");
    open("restart");
    const res = await inFlight;
    expect(servedBy(res)).toBe("lb-worker-1");
    expect(await res.json()).toEqual({ released: "restart" });
    await restarted;
    expect((await gone).reason).toBe("restarted");
    expect(platform.loadBalancerWorkers().map((w) => w.id)).toEqual(["lb-worker-2"]);
  });
});

describe("node worker.ts --rp_serve_api for a serve() worker", () => {
  let proc: WorkerProcess | undefined;
  afterEach(() => proc?.kill());

  it("runs the local load balancer in front of the same file, and stops it all on SIGTERM", async () => {
    proc = spawnWorker(LB_APP, { GATE_DIR: gates }, [
      "--rp_serve_api",
      "--rp_api_port",
      "0",
      "--no-dashboard",
    ]);
    const line = await proc.waitForLine(/^Local load balancer: http:\/\/127\.0\.0\.1:\d+/);
    const url = (line.match(/http:\/\/127\.0\.0\.1:\d+/) as RegExpMatchArray)[0];
    const res = await fetch(`${url}/echo?via=lb`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ query: { via: "lb" } });
    expect(servedBy(res)).toBe("lb-worker-1");
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${url}/echo`)).rejects.toThrow();
  });
});
