/**
 * The heartbeat (§A.7) in a `worker_thread` with its own timer and HTTP client, so pings keep their
 * cadence while a synchronous handler blocks the main thread. It reads the in-progress ids from a
 * `JobIdMirror` at each ping, and writes the worker's held log lines out when the main thread stays
 * blocked (held-lines.ts). The thread's code is a self-contained script using only Node
 * built-ins, evaluated with `eval: true`, so it loads the same way from src (vitest, tsx) and from
 * both builds in dist. It is text, not compiled functions turned back into text, so coverage
 * instrumentation and minifiers cannot break it. A thread that dies (out of memory under its heap
 * cap, say) is logged at ERROR and started again after the package's retry policy's delay: the
 * platform must keep hearing from a worker that keeps taking jobs.
 */
import { Worker } from "node:worker_threads";
import { type Backoff, retryDelay } from "../core/retry-policy.js";
import { PING_JOB_IDS_MARKER, pingUrls } from "../protocol/worker-requests.js";
import {
  type HeldLinesShare,
  SMALL_THREAD_OPTIONS,
  WATCH_HELD_LINES_SOURCE,
} from "./held-lines.js";
import { type JobIdMirror, READ_MIRROR_SOURCE } from "./job-id-mirror.js";
import type { WorkerLog } from "./log.js";

export const HEARTBEAT_THREAD_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { idleUrl, busyUrl, marker, apiKey, userAgent, intervalMs, buffer, heldLines } = workerData;
const readMirror = ${READ_MIRROR_SOURCE};
// Writes the worker's held log lines out while the main thread is blocked (held-lines.ts).
const stopWatching = heldLines ? (${WATCH_HELD_LINES_SOURCE})(heldLines) : () => {};
let timer;
let stopped = false;
// node:http(s) rather than fetch: fetch would load a second HTTP stack into this isolate (more RSS);
// node:https (and TLS with it) only for an https ping URL.
const client = idleUrl.startsWith("https:") ? require("node:https") : require("node:http");
const agent = new client.Agent({ keepAlive: true });
const headers = { Authorization: apiKey, "User-Agent": userAgent };
const timeout = Math.max(2 * intervalMs, 2000);
// Resolves undefined on success, else { problem, retry }.
function get(url) {
  return new Promise((resolve) => {
    const req = client.get(url, { headers, agent, timeout }, (res) => {
      res.resume();
      res.on("end", () => {
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        resolve(ok ? undefined : { problem: "HTTP " + res.statusCode, retry: RETRY_STATUSES.has(res.statusCode) });
      });
      res.on("error", (error) => resolve({ problem: error.message, retry: true }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer within " + timeout + " ms")));
    req.on("error", (error) => resolve({ problem: error.message, retry: true }));
  });
}
// As Python's urllib3 Retry(total=3, backoff_factor=1): up to 3 retries after 0, 2 and 4 s on
// 429/5xx and connection errors (shortened for sub-second test intervals), then log and go on.
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRY_DELAYS = [0, Math.min(2000, intervalMs), Math.min(4000, 2 * intervalMs)];
async function ping() {
  const ids = readMirror(buffer);
  const url = ids ? busyUrl.replace(marker, encodeURIComponent(ids)) : idleUrl;
  let failure = await get(url);
  for (const delay of RETRY_DELAYS) {
    if (!failure || !failure.retry || stopped) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    failure = await get(url);
  }
  if (failure) parentPort.postMessage({ error: "Ping Request Error: " + failure.problem });
}
async function loop() {
  await ping();
  if (!stopped) timer = setTimeout(loop, intervalMs);
}
parentPort.on("message", (message) => {
  if (message === "stop") {
    stopped = true;
    clearTimeout(timer);
    stopWatching();
    agent.destroy();
    parentPort.close();
  }
});
loop();
`;

export interface HeartbeatOptions {
  pingUrl: string;
  version: string;
  apiKey: string;
  userAgent: string;
  intervalMs: number;
  mirror: JobIdMirror;
  /** The log's held lines, which the thread writes out while the main thread is blocked. */
  heldLines?: HeldLinesShare | undefined;
  log: WorkerLog;
  /** The thread's program; tests add a failure to it. Default `HEARTBEAT_THREAD_SOURCE`. */
  source?: string;
}

export interface Heartbeat {
  stop(): Promise<void>;
}

/** Restarts of a thread that keeps dying back off: at first within a second, at most 30 s apart. */
const RESTART_BACKOFF: Backoff = { baseMs: 1_000, capMs: 30_000 };
/** A thread that lived this long before dying counts as healthy: the backoff starts over. */
const HEALTHY_LIFE_MS = 60_000;

export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { idle, busy } = pingUrls(options.pingUrl, options.version);
  const workerData = {
    idleUrl: idle,
    busyUrl: busy,
    marker: PING_JOB_IDS_MARKER,
    apiKey: options.apiKey,
    userAgent: options.userAgent,
    intervalMs: options.intervalMs,
    buffer: options.mirror.buffer,
    heldLines: options.heldLines?.buffer,
  };
  let thread: Worker | undefined;
  let restart: NodeJS.Timeout | undefined;
  let stopping = false;
  let deaths = 0;

  const spawn = (): void => {
    const started = performance.now();
    let failure: Error | undefined;
    const current = new Worker(options.source ?? HEARTBEAT_THREAD_SOURCE, {
      eval: true,
      workerData,
      ...SMALL_THREAD_OPTIONS,
    });
    thread = current;
    options.heldLines?.watching(true);
    // The heartbeat must never keep the process alive on its own.
    current.unref();
    current.on("message", (m: { error?: string }) => {
      if (m.error) options.log.error(`${m.error}, continuing to ping.`);
    });
    current.on("error", (error) => {
      failure = error;
    });
    current.on("exit", (code) => {
      options.heldLines?.watching(false);
      if (stopping || thread !== current) return;
      if (performance.now() - started >= HEALTHY_LIFE_MS) deaths = 0;
      const delay = retryDelay(deaths++, RESTART_BACKOFF);
      const why = failure
        ? `${(failure as NodeJS.ErrnoException).code ?? failure.name}: ${failure.message}`
        : `exit code ${code}`;
      options.log.error(
        `Heartbeat thread died (${why}); no pings until it is restarted in ${delay} ms.`,
      );
      restart = setTimeout(spawn, delay);
      restart.unref();
    });
  };
  spawn();

  return {
    async stop() {
      stopping = true;
      clearTimeout(restart);
      thread?.postMessage("stop");
      await thread?.terminate();
    },
  };
}
