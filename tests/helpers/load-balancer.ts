/** A local platform with its load balancer in front of real worker processes, for tests. */
import { resolve } from "node:path";
import type {
  LbWorkerSnapshot,
  LoadBalancerOptions,
  LocalPlatform,
  LocalPlatformOptions,
  PlatformEvent,
} from "../../src/local/index.js";
import { startPlatform } from "./local-platform.js";

/** The plain node:http worker of `tests/local/fixtures/lb-http-worker.mjs`. */
export const HTTP_WORKER = resolve(import.meta.dirname, "../local/fixtures/lb-http-worker.mjs");

export interface LbTestPlatform {
  platform: LocalPlatform;
  /** The load balancer's base URL. */
  url: string;
  /** Every line the workers printed, as `[id] line`. */
  lines: string[];
  /** Resolves once a worker has printed a line matching `pattern` (before or after the call). */
  logged(pattern: RegExp): Promise<string>;
}

/**
 * A platform whose load balancer runs `HTTP_WORKER` (or `command`), polling health every 20 ms,
 * one worker kept by default; closed (workers drained and gone) after the test.
 */
export async function startLb(
  lb: Partial<LoadBalancerOptions> = {},
  platform: LocalPlatformOptions = {},
  env: Record<string, string> = {},
): Promise<LbTestPlatform> {
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const p = await startPlatform({
    dashboard: false,
    ...platform,
    loadBalancer: {
      command: [process.execPath, HTTP_WORKER],
      healthIntervalMs: 20,
      stopGraceMs: 5_000,
      env,
      output: (line, id) => {
        const labelled = `[${id}] ${line}`;
        lines.push(labelled);
        for (const w of [...waiters]) {
          if (!w.pattern.test(labelled)) continue;
          waiters.delete(w);
          w.resolve(labelled);
        }
      },
      ...lb,
      workers: { min: 1, max: 1, idleTimeoutMs: 60_000, ...lb.workers },
    },
  });
  const logged = (pattern: RegExp) => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve) => waiters.add({ pattern, resolve }));
  };
  return { platform: p, url: p.loadBalancerUrl as string, lines, logged };
}

/**
 * Resolves with the load balancer's workers once `ready` holds for them: checked now and again
 * after every load-balancer event, so a test waits on what happened rather than on time.
 */
export function workersWhen(
  platform: LocalPlatform,
  ready: (workers: LbWorkerSnapshot[]) => boolean,
): Promise<LbWorkerSnapshot[]> {
  return new Promise((resolve) => {
    const check = () => {
      const workers = platform.loadBalancerWorkers();
      if (!ready(workers)) return false;
      resolve(workers);
      return true;
    };
    if (check()) return;
    const stop = platform.subscribe((event) => {
      if (event.type.startsWith("lb-") && check()) stop();
    });
  });
}

/** `n` workers ready (health 200). */
export function readyWorkers(platform: LocalPlatform, n: number): Promise<LbWorkerSnapshot[]> {
  return workersWhen(platform, (ws) => ws.filter((w) => w.state === "ready").length >= n);
}

/** The first later event that matches; subscribe before causing it. */
export function lbEvent<T extends PlatformEvent["type"]>(
  platform: LocalPlatform,
  type: T,
  match: (event: Extract<PlatformEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<PlatformEvent, { type: T }>> {
  return new Promise((resolve) => {
    const stop = platform.subscribe((event) => {
      if (event.type !== type) return;
      const e = event as Extract<PlatformEvent, { type: T }>;
      if (!match(e)) return;
      stop();
      resolve(e);
    });
  });
}

/**
 * `POST /v2/serverless` on an open platform: a LOAD_BALANCER endpoint that scales from zero to one
 * worker (the platform's `loadBalancer` command, with `env` added); its id and base URL.
 */
export async function createLbEndpoint(
  platformUrl: string,
  env: Record<string, string> = {},
): Promise<{ id: string; base: string }> {
  const res = await fetch(`${platformUrl}/v2/serverless`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "made-by-rest",
      type: "LOAD_BALANCER",
      image: "me/lb-worker:1.0",
      env,
      cpu: [{ id: "cpu5c", vcpuCount: 2 }],
      scaling: { type: "REQUEST_COUNT", requestCount: 1 },
      workers: { min: 0, max: 1, idleTimeout: 60 },
    }),
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { id: string; requestUrls: { base: string } };
  return { id: created.id, base: created.requestUrls.base };
}

/** A request straight to a worker's own port, bypassing the load balancer (the test's side door). */
export function direct(worker: LbWorkerSnapshot, path: string, method = "POST"): Promise<Response> {
  return fetch(`http://127.0.0.1:${worker.port}${path}`, { method });
}

/** The worker id a response names. */
export const servedBy = (res: Response) => res.headers.get("x-runpod-worker-id");
