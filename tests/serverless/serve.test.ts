/**
 * `serverless.serve()` as a process (spec load-balancing.md §2): health gating during init, the
 * health port and path from the environment, maxConcurrency, streaming, WebSockets, the SIGTERM
 * drain, start-up failures, and the platform log format with request ids.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ValidationError } from "../../src/core/errors.js";
import { serverless } from "../../src/serverless/index.js";
import { freePort, startScriptedServer } from "../helpers/scripted-server.js";
import { SseReader } from "../helpers/sse-reader.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

let gates: string;
let proc: WorkerProcess | undefined;
beforeEach(() => {
  gates = mkdtempSync(join(tmpdir(), "runpod-lb-gates-"));
});
afterEach(() => {
  proc?.kill();
  proc = undefined;
  rmSync(gates, { recursive: true, force: true });
});

const open = (...names: string[]) => {
  for (const name of names) writeFileSync(join(gates, name), "");
};

/** Starts a fixture on an ephemeral port; resolves with its base URL once it listens. */
async function startLb(
  fixture: string,
  env: Record<string, string> = {},
): Promise<{ url: string; healthPort: number }> {
  proc = spawnWorker(fixture, { PORT: "0", GATE_DIR: gates, ...env });
  const line = await proc.waitForLine(/listening on http:\/\/[^:]+:\d+, health on port \d+/);
  const [, port, healthPort] = line.match(/:(\d+), health on port (\d+)/) as string[];
  return { url: `http://127.0.0.1:${port}`, healthPort: Number(healthPort) };
}

describe("health gating", () => {
  it("answers 204 and refuses traffic while init runs, then 200 and serves", async () => {
    const { url } = await startLb("lb-app.ts", { INIT_GATE: "init" });
    const starting = await fetch(`${url}/ping`);
    expect(starting.status).toBe(204);
    const early = await fetch(`${url}/echo`);
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({ error: "worker is initializing" });

    open("init");
    await proc?.waitForLine(/Ready: the health check answers 200/);
    const ready = await fetch(`${url}/ping`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    const res = await fetch(`${url}/echo?x=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ path: "/echo", query: { x: "1" } });
  });

  it("serves health on PORT_HEALTH at HEALTH_CHECK_PATH, and on the app port too", async () => {
    const healthPort = await freePort();
    const { url } = await startLb("lb-app.ts", {
      PORT_HEALTH: String(healthPort),
      HEALTH_CHECK_PATH: "/healthz",
    });
    await proc?.waitForLine(/Ready/);
    const health = `http://127.0.0.1:${healthPort}`;
    expect((await fetch(`${health}/healthz`)).status).toBe(200);
    expect((await fetch(`${health}/healthz`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${health}/echo`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // /ping is no longer the health path: it is the app's (which has no such route).
    expect((await fetch(`${url}/ping`)).status).toBe(404);
  });
});

describe("requests", () => {
  it("serves a plain { fetch } app: methods, chunked streams, and app failures as logged 500s", async () => {
    const { url } = await startLb("lb-plain.ts");
    await proc?.waitForLine(/Ready/);
    const put = await fetch(`${url}/items/7`, { method: "PUT", body: "x" });
    expect(await put.json()).toEqual({ method: "PUT", pathname: "/items/7" });
    const chunked = await fetch(`${url}/chunked`);
    expect(chunked.headers.get("transfer-encoding")).toBe("chunked");
    expect(await chunked.text()).toBe("part 1\npart 2\npart 3\n");

    const thrown = await fetch(`${url}/throws`);
    expect(thrown.status).toBe(500);
    const id = thrown.headers.get("x-request-id") as string;
    await proc?.waitForLine(new RegExp(`${id} \\| The app failed: Error: handler bug`));
    const bad = await fetch(`${url}/not-a-response`);
    expect(bad.status).toBe(500);
    await proc?.waitForLine(/app\.fetch returned undefined, not a Response/);
  });

  it("answers 429 at once beyond maxConcurrency, and serves again when a slot frees", async () => {
    const { url } = await startLb("lb-app.ts", { MAX_CONCURRENCY: "1" });
    await proc?.waitForLine(/Ready/);
    const held = fetch(`${url}/hold/a`);
    await proc?.waitForLine(/HOLD a/);
    const over = await fetch(`${url}/echo`);
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ error: "worker at capacity (maxConcurrency 1)" });
    // Health checks do not count against the cap.
    expect((await fetch(`${url}/ping`)).status).toBe(200);
    open("a");
    expect(await (await held).json()).toEqual({ released: "a" });
    await proc?.waitForLine(/GET \/hold\/a 200/);
    expect((await fetch(`${url}/echo`)).status).toBe(200);
  });

  it("streams SSE events as they are produced", async () => {
    const { url } = await startLb("lb-app.ts");
    await proc?.waitForLine(/Ready/);
    open("s-1");
    const res = await fetch(`${url}/sse/s`);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
    // Each event is produced only after the test saw the previous one: nothing is buffered.
    expect((await sse.next())?.data).toBe("1");
    open("s-2");
    expect((await sse.next())?.data).toBe("2");
    open("s-3");
    expect((await sse.next())?.data).toBe("3");
    expect(await sse.next()).toBeUndefined();
  });

  it("round-trips WebSocket messages on the returned server", async () => {
    const { url } = await startLb("lb-app.ts");
    await proc?.waitForLine(/Ready/);
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const reply = new Promise<string>((resolve) => ws.once("message", (d) => resolve(String(d))));
    ws.send("hello");
    expect(await reply).toBe("echo:hello");
    ws.close();
  });

  it("refuses WebSocket upgrades before init ends, and when the app has no WebSocket server", async () => {
    const status = (url: string) =>
      new Promise<number | undefined>((resolve) => {
        const ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
        ws.on("error", () => {}); // terminate() below reports the refused handshake as an error
        ws.once("unexpected-response", (_req, res) => {
          resolve(res.statusCode);
          ws.terminate();
        });
        ws.once("open", () => {
          resolve(101);
          ws.close();
        });
      });
    const { url } = await startLb("lb-app.ts", { INIT_GATE: "init" });
    expect(await status(url)).toBe(503);
    open("init");
    await proc?.waitForLine(/Ready/);
    expect(await status(url)).toBe(101);
    proc?.kill();
    const plain = await startLb("lb-plain.ts");
    await proc?.waitForLine(/Ready/);
    expect(await status(plain.url)).toBe(404);
  });

  it("logs JSON lines on the platform, each request under its own id", async () => {
    const { url } = await startLb("lb-app.ts", { RUNPOD_ENDPOINT_ID: "ep-1" });
    await proc?.waitForLine(/Ready/);
    const res = await fetch(`${url}/echo?api_key=secret`, {
      headers: { "x-request-id": "req-from-client" },
    });
    expect(res.headers.get("x-request-id")).toBe("req-from-client");
    expect(await res.json()).toMatchObject({ requestId: "req-from-client" });
    const line = await proc?.waitForLine(/GET \/echo 200/);
    expect(JSON.parse(line as string)).toMatchObject({
      requestId: "req-from-client",
      level: "INFO",
      message: expect.stringMatching(/^GET \/echo 200 \d+ms$/),
    });
    // The query (which may hold a key) is not logged.
    expect(proc?.lines.join("\n")).not.toContain("secret");
    const ids = new Set<string>();
    for (const _ of [1, 2]) ids.add((await fetch(`${url}/echo`)).headers.get("x-request-id") ?? "");
    expect(ids.size).toBe(2);
  });
});

describe("drain on SIGTERM", () => {
  it("stops being routable, finishes the in-flight request and stream, refuses new ones, exits 0", async () => {
    const { url } = await startLb("lb-app.ts");
    await proc?.waitForLine(/Ready/);
    const held = fetch(`${url}/hold/b`);
    await proc?.waitForLine(/HOLD b/);
    open("t-1");
    const stream = new SseReader((await fetch(`${url}/sse/t`)).body as ReadableStream<Uint8Array>);
    expect((await stream.next())?.data).toBe("1");

    proc?.child.kill("SIGTERM");
    await proc?.waitForLine(/Draining \(SIGTERM\): health answers 503; finishing 2 request/);
    const health = await fetch(`${url}/ping`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "draining" });
    const refused = await fetch(`${url}/echo`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: "worker is shutting down" });

    open("b", "t-2", "t-3");
    expect(await (await held).json()).toEqual({ released: "b" });
    expect((await stream.next())?.data).toBe("2");
    expect((await stream.next())?.data).toBe("3");
    expect(await stream.next()).toBeUndefined();
    expect((await proc?.exited)?.code).toBe(0);
  });

  it("waits for an open WebSocket session, then exits 0 when it closes", async () => {
    const { url } = await startLb("lb-app.ts");
    await proc?.waitForLine(/Ready/);
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    proc?.child.kill("SIGTERM");
    await proc?.waitForLine(/finishing 0 request\(s\) and 1 WebSocket session/);
    const reply = new Promise<string>((resolve) => ws.once("message", (d) => resolve(String(d))));
    ws.send("still here");
    expect(await reply).toBe("echo:still here");
    ws.close();
    expect((await proc?.exited)?.code).toBe(0);
  });

  it("exits when shutdownGraceMs runs out with a request still running", async () => {
    const { url } = await startLb("lb-app.ts", { SHUTDOWN_GRACE_MS: "100" });
    await proc?.waitForLine(/Ready/);
    const held = fetch(`${url}/hold/never`).then(
      () => "answered",
      () => "cut",
    );
    await proc?.waitForLine(/HOLD never/);
    proc?.child.kill("SIGTERM");
    expect((await proc?.exited)?.code).toBe(0);
    expect(await held).toBe("cut");
    expect(proc?.lines.join("\n")).toMatch(/shutdownGraceMs \(100 ms\) ran out: closing 1 request/);
  });
});

describe("start-up failures", () => {
  it("init failing: reports unhealthy (the ping, as the queue worker) and exits 1", async () => {
    const platform = await startScriptedServer();
    try {
      platform.handle(() => ({ status: 200, text: "" }));
      open("init");
      proc = spawnWorker("lb-app.ts", {
        PORT: "0",
        GATE_DIR: gates,
        INIT_GATE: "init",
        INIT_FAIL: "1",
        RUNPOD_POD_ID: "pod-7",
        RUNPOD_AI_API_KEY: "worker-key",
        RUNPOD_WEBHOOK_PING: `${platform.url}/v2/ep/ping/$RUNPOD_POD_ID`,
      });
      expect((await proc.exited).code).toBe(1);
      await platform.received(1);
      const ping = platform.requests[0];
      expect(ping?.path).toBe("/v2/ep/ping/pod-7");
      expect(ping?.query).toMatchObject({
        status: "unhealthy",
        check: "init",
        reason: "Error: model weights missing",
      });
      expect(ping?.headers.authorization).toBe("worker-key");
      expect(proc.lines.join("\n")).toMatch(
        /Worker is unhealthy \(init: Error: model weights missing\)/,
      );
    } finally {
      await platform.close();
    }
  });

  it("init failing with an unusable ping setting still exits 1", async () => {
    open("init");
    proc = spawnWorker("lb-app.ts", {
      PORT: "0",
      GATE_DIR: gates,
      INIT_GATE: "init",
      INIT_FAIL: "1",
      RUNPOD_WEBHOOK_PING: "http://127.0.0.1:9/ping/$RUNPOD_POD_ID",
      RUNPOD_PING_INTERVAL: "soon",
    });
    expect((await proc.exited).code).toBe(1);
    expect(proc.lines.join("\n")).toMatch(/Unhealthy ping not sent: Invalid RUNPOD_PING_INTERVAL/);
  });

  it("a failing fitness check exits 1 before init runs", async () => {
    // init would wait forever on its gate: exiting shows the check ran first.
    proc = spawnWorker("lb-app.ts", {
      PORT: "0",
      GATE_DIR: gates,
      FAIL_FITNESS: "1",
      INIT_GATE: "never",
    });
    expect((await proc.exited).code).toBe(1);
    const out = proc.lines.join("\n");
    expect(out).toMatch(/Fitness check failed: diskSpace \| Error: disk full/);
    expect(out).toMatch(/Worker is unhealthy \(diskSpace: Error: disk full\), exiting\./);
  });

  it("a port in use exits 1 with the reason", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    try {
      const { port } = busy.address() as { port: number };
      proc = spawnWorker("lb-app.ts", { PORT: String(port), GATE_DIR: gates });
      expect((await proc.exited).code).toBe(1);
      expect(proc.lines.join("\n")).toMatch(/could not start: .*EADDRINUSE/);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});

describe("listening interface", () => {
  it("binds 0.0.0.0 on the platform (RUNPOD_POD_ID), RUNPOD_LB_HOST when the local balancer sets it", async () => {
    proc = spawnWorker("lb-app.ts", { PORT: "0", RUNPOD_POD_ID: "pod-1" });
    await proc.waitForLine(/listening on http:\/\/0\.0\.0\.0:\d+/);
    proc.kill();
    proc = spawnWorker("lb-app.ts", {
      PORT: "0",
      RUNPOD_POD_ID: "pod-1",
      RUNPOD_LB_HOST: "127.0.0.1",
    });
    await proc.waitForLine(/listening on http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe("validation", () => {
  const app = { fetch: () => new Response("ok") };
  const invalid = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error("expected a ValidationError");
  };
  it("rejects a non-app, unknown options and bad values before touching the process", () => {
    expect(invalid(() => serverless.serve({} as never))).toMatch(
      /Invalid serverless\.serve\(\) app: must have a fetch\(request\) method/,
    );
    expect(invalid(() => serverless.serve(app, { maxConcurency: 2 } as never))).toMatch(
      /unknown option "maxConcurency"/,
    );
    expect(invalid(() => serverless.serve(app, { maxConcurrency: 0 }))).toMatch(
      /maxConcurrency: must be >= 1/,
    );
    expect(invalid(() => serverless.serve(app, { shutdownGraceMs: -1, init: 3 as never }))).toMatch(
      /init: must be a function; shutdownGraceMs: must be >= 0/,
    );
  });
});
