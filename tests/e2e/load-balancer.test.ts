/**
 * End to end, as in production: `LoadBalancerEndpoint` → the local load balancer → worker
 * processes running `serverless.serve()` on a Hono app (tests/serverless/fixtures/lb-app.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  AffinityWorkerGoneError,
  LoadBalancerEndpoint,
  NoWorkersAvailableError,
  WorkerTimeoutError,
} from "../../src/endpoint/index.js";
import type { LoadBalancerOptions } from "../../src/local/index.js";
import { readyWorkers, startLb, workersWhen } from "../helpers/load-balancer.js";
import { SseReader } from "../helpers/sse-reader.js";

const root = resolve(import.meta.dirname, "../..");
const SERVE_WORKER = [
  process.execPath,
  "--import",
  pathToFileURL(resolve(root, "node_modules/tsx/dist/loader.mjs")).href,
  "--import",
  pathToFileURL(resolve(root, "tests/helpers/define-version.mjs")).href,
  resolve(root, "tests/serverless/fixtures/lb-app.ts"),
];
const KEY = "e2e-lb-key";

let gates: string;
beforeEach(() => {
  gates = mkdtempSync(join(tmpdir(), "runpod-lb-e2e-"));
});
afterEach(() => {
  rmSync(gates, { recursive: true, force: true });
});
const open = (...names: string[]) => {
  for (const name of names) writeFileSync(join(gates, name), "");
};

async function stack(lb: Partial<LoadBalancerOptions> = {}, env: Record<string, string> = {}) {
  const t = await startLb(
    { command: SERVE_WORKER, ...lb },
    { apiKey: KEY },
    { GATE_DIR: gates, ...env },
  );
  const client = new LoadBalancerEndpoint("ep-e2e", {
    apiKey: KEY,
    baseUrl: t.url,
    retryDelayMs: 0,
  });
  return { ...t, client };
}

async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("LoadBalancerEndpoint → local load balancer → serve() worker", () => {
  it("holds a request through init, then serves, streams and relays WebSockets", async () => {
    const t = await stack({}, { INIT_GATE: "init" });
    try {
      // The worker answers its health check with 204 while init runs: not routable yet.
      await workersWhen(t.platform, (ws) => ws.some((w) => w.state === "initializing"));
      const held = t.client.fetch("/echo?x=1");
      open("init");
      const res = await held;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ path: "/echo", query: { x: "1" } });
      const [worker] = await readyWorkers(t.platform, 1);
      expect(t.client.lastWorkerId).toBe(worker?.id);
      expect(await t.client.health()).toEqual({
        state: "ready",
        status: 200,
        workerId: worker?.id,
      });

      const posted = await t.client.fetch("/echo", { method: "POST", body: "hello" });
      expect(await posted.json()).toEqual({ body: "hello" });

      open("s-1");
      const sse = new SseReader(
        (await t.client.fetch("/sse/s")).body as ReadableStream<Uint8Array>,
      );
      expect((await sse.next())?.data).toBe("1");
      open("s-2", "s-3");
      expect((await sse.next())?.data).toBe("2");
      expect((await sse.next())?.data).toBe("3");

      const ws = new WebSocket(`${t.url.replace("http", "ws")}/ws`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      await new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
      const reply = new Promise<string>((ok) => ws.once("message", (d) => ok(String(d))));
      ws.send("through the balancer");
      expect(await reply).toBe("echo:through the balancer");
      ws.close();
    } finally {
      await t.platform.close();
    }
  });

  it("pins with each affinity form and throws the platform's affinity errors", async () => {
    const t = await stack({ workers: { min: 2, max: 2, concurrency: 1 }, affinityWaitMs: 200 });
    try {
      await readyWorkers(t.platform, 2);
      await t.client.fetch("/echo");
      const a = t.client.lastWorkerId as string;
      for (const affinity of ["soft", "strict", "strict-resume"] as const) {
        const res = await t.client.fetch("/echo", { worker: { id: a, affinity } });
        expect(res.headers.get("x-runpod-worker-id")).toBe(a);
        await res.body?.cancel();
      }

      // Worker `a` busy (concurrency 1): a strict pin waits, then the platform gives up.
      const busy = t.client.fetch("/hold/pinned", { worker: { id: a, affinity: "strict" } });
      await t.logged(/HOLD pinned/);
      const timeout = await thrown(() =>
        t.client.fetch("/echo", { worker: { id: a, affinity: "strict" } }),
      );
      expect(timeout).toBeInstanceOf(WorkerTimeoutError);
      expect((timeout as WorkerTimeoutError).workerId).toBe(a);
      open("pinned");
      expect((await busy).status).toBe(200);

      const gone = await thrown(() =>
        t.client.fetch("/echo", { worker: { id: "pod-gone", affinity: "strict" } }),
      );
      expect(gone).toBeInstanceOf(AffinityWorkerGoneError);
    } finally {
      await t.platform.close();
    }
  });

  it("retries 'no workers available', then throws NoWorkersAvailableError", async () => {
    const t = await stack({ workers: { min: 0, max: 0 }, requestTimeoutMs: 50 });
    try {
      const client = new LoadBalancerEndpoint("ep-e2e", {
        apiKey: KEY,
        baseUrl: t.url,
        retryDelayMs: 0,
        maxRetries: 1,
      });
      const error = await thrown(() => client.fetch("/echo", { method: "POST", body: "{}" }));
      expect(error).toBeInstanceOf(NoWorkersAvailableError);
      expect((error as NoWorkersAvailableError).status).toBe(503);
    } finally {
      await t.platform.close();
    }
  });
});
