/**
 * The heartbeat (§A.7) of a worker whose platform runs in this process (`--rp_serve_api`): pings
 * through the in-process link from this thread, at the same cadence and with the same URLs as the
 * heartbeat thread (heartbeat.ts). A thread of its own buys nothing here: while a synchronous
 * handler blocks this thread, the platform that would answer the ping is blocked with it. And the
 * thread's V8 isolate cost 6–9 MB of the process's RSS (bench/RESULTS.md, issue #18 §2).
 */
import { PING_JOB_IDS_MARKER, pingUrls } from "../protocol/worker-requests.js";
import type { Heartbeat } from "./heartbeat.js";
import type { WorkerHttp } from "./http.js";
import type { WorkerLog } from "./log.js";

export interface LinkedHeartbeatOptions {
  pingUrl: string;
  version: string;
  intervalMs: number;
  /** The in-progress job ids at the moment of a ping. */
  jobIds: () => Iterable<string>;
  /** A client whose route is the in-process link. */
  http: WorkerHttp;
  log: WorkerLog;
}

export function startLinkedHeartbeat(options: LinkedHeartbeatOptions): Heartbeat {
  const { idle, busy } = pingUrls(options.pingUrl, options.version);
  // As the thread's: a ping that gets no answer in this time is a failure.
  const timeoutMs = Math.max(2 * options.intervalMs, 2_000);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pinging: Promise<void> = Promise.resolve();

  const ping = async (): Promise<void> => {
    const ids = [...options.jobIds()].join(",");
    const url = ids ? busy.replace(PING_JOB_IDS_MARKER, encodeURIComponent(ids)) : idle;
    // No retries, unlike the thread's: the platform is in this process, so there is no network
    // between them to be briefly down, and the next ping comes one interval later anyway.
    let problem: string | undefined;
    try {
      const res = await options.http.get(url, "ping", { timeoutMs });
      if (res.status < 200 || res.status >= 300) problem = `HTTP ${res.status}`;
    } catch (error) {
      problem = (error as Error)?.message ?? String(error);
    }
    if (problem !== undefined && !stopped) {
      options.log.error(`Ping Request Error: ${problem}, continuing to ping.`);
    }
  };
  const loop = (): void => {
    pinging = ping().then(() => {
      if (stopped) return;
      timer = setTimeout(loop, options.intervalMs);
      // The heartbeat must never keep the process alive on its own.
      timer.unref();
    });
  };
  loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pinging;
    },
  };
}
