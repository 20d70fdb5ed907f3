/** Starts local platforms for tests with small timing knobs, and waits for their events. */
import { afterEach } from "vitest";
import type { LocalPlatform, LocalPlatformOptions, PlatformEvent } from "../../src/local/index.js";
import { createLocalPlatform } from "../../src/local/index.js";
import { ProtocolWorker } from "./protocol-worker.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** A platform on a free loopback port, closed after the test. */
export async function startPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const platform = await createLocalPlatform({ port: 0, longPollMs: 2_000, ...options });
  open.push(platform);
  return platform;
}

/** A protocol-level worker for `platform`, stopped after the test. */
export function workerFor(platform: LocalPlatform, workerId = "w1"): ProtocolWorker {
  const worker = new ProtocolWorker(platform.workerEnv(workerId));
  open.unshift({ close: () => worker.stop() });
  return worker;
}

/** Resolves with the first later event that matches. Subscribe before causing it. */
export function nextEvent<E extends PlatformEvent>(
  platform: LocalPlatform,
  match: (event: PlatformEvent) => event is E,
): Promise<E>;
export function nextEvent(
  platform: LocalPlatform,
  match: (event: PlatformEvent) => boolean,
): Promise<PlatformEvent>;
export function nextEvent(
  platform: LocalPlatform,
  match: (event: PlatformEvent) => boolean,
): Promise<PlatformEvent> {
  return new Promise((resolve) => {
    const stop = platform.subscribe((event) => {
      if (match(event)) {
        stop();
        resolve(event);
      }
    });
  });
}

type JobEvent = Extract<PlatformEvent, { type: "job" }>;

/** The next time job `id` enters `state`. */
export function jobReaches(platform: LocalPlatform, id: string, state: string): Promise<JobEvent> {
  return nextEvent(
    platform,
    (e): e is JobEvent => e.type === "job" && e.job.id === id && e.job.status === state,
  );
}

/** JSON requests against the platform's endpoint URL. */
export function client(platform: LocalPlatform, headers: Record<string, string> = {}) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.endpointUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
    const json: any = text === "" ? undefined : JSON.parse(text);
    return { status: res.status, json, headers: res.headers };
  };
  return {
    call,
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body),
  };
}
