/**
 * The heartbeat of a worker whose platform is in the same process (`--rp_serve_api`): pings go
 * through the in-process link of a real local platform, idle and busy URLs as the thread sends
 * them, at the interval, and a refused ping is logged and pinging goes on.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { WorkerCall, WorkerLink } from "../../src/local/index.js";
import { WorkerHttp } from "../../src/serverless/http.js";
import { startLinkedHeartbeat } from "../../src/serverless/linked-heartbeat.js";
import { WorkerLog } from "../../src/serverless/log.js";
import { startPlatform } from "../helpers/local-platform.js";

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** A link that records each call's URL and resolves `until(n)` once n calls went through. */
function recording(inner: WorkerLink) {
  const urls: string[] = [];
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  const link: WorkerLink = (call: WorkerCall) => {
    urls.push(call.url);
    for (const w of waiting.filter((x) => urls.length >= x.n)) w.resolve();
    return inner(call);
  };
  const until = (n: number) =>
    new Promise<void>((resolve) => {
      if (urls.length >= n) resolve();
      else waiting.push({ n, resolve });
    });
  return { link, urls, until };
}

function capturingLog() {
  const lines: string[] = [];
  const log = new WorkerLog("DEBUG", false, { write: (line) => lines.push(line.trimEnd()) });
  return { log, lines };
}

describe("linked heartbeat", () => {
  it("pings through the link at the interval, with the in-progress job ids when busy", async () => {
    const p = await startPlatform();
    const { link, urls, until } = recording(p.workerLink);
    const ids: string[] = [];
    const { log, lines } = capturingLog();
    const heartbeat = startLinkedHeartbeat({
      pingUrl: `${p.url}/v2/local/ping/w1`,
      version: "1.2.3",
      intervalMs: 20,
      jobIds: () => ids,
      http: new WorkerHttp("local", "test", { link }),
      log,
    });
    stops.push(() => heartbeat.stop());
    await until(1);
    expect(urls[0]).toBe(`${p.url}/v2/local/ping/w1?runpod_version=1.2.3`);
    ids.push("job-1", "job 2");
    const seen = urls.length;
    await until(seen + 2);
    expect(urls.at(-1)).toBe(
      `${p.url}/v2/local/ping/w1?job_id=job-1%2Cjob%202&runpod_version=1.2.3`,
    );
    expect(p.workers().find((w) => w.id === "w1")?.version).toBe("1.2.3");
    expect(lines).toEqual([]);
  });

  it("logs a refused ping at ERROR and keeps pinging", async () => {
    const { link, until } = recording(async () => ({ status: 500, text: "down" }));
    const { log, lines } = capturingLog();
    const heartbeat = startLinkedHeartbeat({
      pingUrl: "http://127.0.0.1:1/v2/local/ping/w1",
      version: "1.0.0",
      intervalMs: 10,
      jobIds: () => [],
      http: new WorkerHttp("local", "test", { link }),
      log,
    });
    stops.push(() => heartbeat.stop());
    await until(2);
    expect(lines[0]).toMatch(/ERROR.*Ping Request Error: HTTP 500, continuing to ping\./);
  });
});
