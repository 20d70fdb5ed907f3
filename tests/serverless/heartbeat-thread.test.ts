/**
 * The heartbeat thread: a real thread that dies (out of memory under its heap cap) is started
 * again and pings resume; and its code survives coverage instrumentation and minification of the
 * package, which rewrite compiled functions to reference helpers the thread does not have.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { HEARTBEAT_THREAD_SOURCE, startHeartbeat } from "../../src/serverless/heartbeat.js";
import { JobIdMirror } from "../../src/serverless/job-id-mirror.js";
import { WorkerLog } from "../../src/serverless/log.js";
import { FakePlatform } from "../helpers/fake-platform.js";

let fake: FakePlatform;
const stops: Array<() => Promise<void>> = [];
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await fake.close();
});

function capturingLog() {
  const lines: string[] = [];
  const log = new WorkerLog("DEBUG", false, { write: (line) => lines.push(line.trimEnd()) });
  return { log, lines };
}

const pingUrl = () => `${fake.url}/v2/fake-ep/ping/hb-1`;

describe("heartbeat thread", () => {
  const DIED = "RUNPOD_TS_TEST_HEARTBEAT_DIED";
  afterAll(() => {
    delete process.env[DIED];
  });

  it("is started again when it dies out of memory, and pings resume", async () => {
    // The first thread fills its 8 MB heap right after its first ping; the environment is shared
    // with the thread, so the restarted one sees the mark and behaves.
    const source = `${HEARTBEAT_THREAD_SOURCE}
if (!process.env.${DIED}) {
  process.env.${DIED} = "1";
  const hog = [];
  setTimeout(function grow() {
    for (let i = 0; i < 100; i++) hog.push(new Array(10_000).fill(hog.length));
    setImmediate(grow);
  }, 20);
}`;
    const { log, lines } = capturingLog();
    const mirror = new JobIdMirror();
    mirror.write(["job-9"]);
    const heartbeat = startHeartbeat({
      pingUrl: pingUrl(),
      version: "1.0.0",
      apiKey: "k",
      userAgent: "test",
      intervalMs: 50,
      mirror,
      log,
      source,
    });
    stops.push(() => heartbeat.stop());
    await fake.until(() => lines.some((l) => l.includes("Heartbeat thread died")));
    const died = lines.find((l) => l.includes("Heartbeat thread died"));
    expect(died).toMatch(
      /^ERROR {2}\| Heartbeat thread died \(ERR_WORKER_OUT_OF_MEMORY: .+\); no pings until it is restarted in \d+ ms\.$/,
    );
    const after = fake.requests.length;
    const resumed = await fake.waitFor((r) => r.route === "ping" && r.seq > after);
    expect(resumed.query).toMatch(/^job_id=job-9&runpod_version=1\.0\.0/);
    expect(lines.filter((l) => l.includes("Heartbeat thread died"))).toHaveLength(1);
  });
});

/**
 * What istanbul-style coverage does to every function declaration of a module: a counter bumped
 * through a module-scope object, which a function turned into text and run elsewhere lacks.
 */
const instrument: Plugin = {
  name: "coverage-like-instrumentation",
  setup(b) {
    b.onLoad({ filter: /src[\\/]serverless[\\/].*\.ts$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      const text = await readFile(args.path, "utf8");
      const counted = text.replace(/^export (async )?function [^{]*\{/gm, (m) => `${m} __cov.f++;`);
      return { contents: `const __cov = { f: 0 };\n${counted}`, loader: "ts" };
    });
  },
};

describe("the heartbeat thread's code", () => {
  const dir = mkdtempSync(join(tmpdir(), "heartbeat-bundle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("still pings with the in-progress ids from an instrumented, minified bundle", async () => {
    const root = resolve(import.meta.dirname, "../..");
    const out = join(dir, "heartbeat.mjs");
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      `export { startHeartbeat } from ${JSON.stringify(join(root, "src/serverless/heartbeat.ts"))};
export { JobIdMirror } from ${JSON.stringify(join(root, "src/serverless/job-id-mirror.ts"))};`,
    );
    await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      outfile: out,
      plugins: [instrument],
      logLevel: "silent",
    });
    const bundled = (await import(pathToFileURL(out).href)) as {
      startHeartbeat: typeof startHeartbeat;
      JobIdMirror: typeof JobIdMirror;
    };
    const { log, lines } = capturingLog();
    const mirror = new bundled.JobIdMirror();
    mirror.write(["job-1", "job-2"]);
    const heartbeat = bundled.startHeartbeat({
      pingUrl: pingUrl(),
      version: "1.0.0",
      apiKey: "k",
      userAgent: "test",
      intervalMs: 50,
      mirror,
      log,
    });
    stops.push(() => heartbeat.stop());
    const ping = await fake.waitFor((r) => r.route === "ping");
    expect(ping.query).toMatch(/^job_id=job-1%2Cjob-2&runpod_version=1\.0\.0/);
    expect(lines.filter((l) => l.startsWith("ERROR"))).toEqual([]);
  });
});
