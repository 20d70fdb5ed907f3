/**
 * `runpod-ts dev`: the built CLI as a child process. The platform alone, then with a worker file of
 * our real worker runtime as its child, restarted when the file changes; SIGTERM stops it all.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DevProcess } from "./dev-process.js";
import { runCli, SERVERLESS, tempHome } from "./run-cli.js";

const { home, cleanup } = tempHome();
afterAll(cleanup);
const running: DevProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

/** A worker of our runtime that says which version it is, at start and in its output. */
function workerSource(version: number): string {
  return `import { serverless } from ${JSON.stringify(SERVERLESS)};
import { greeting } from "./lib/greeting.mjs";
console.log("worker v${version} ready");
serverless.start({ handler: (job) => ({ version: ${version}, greeting, echo: job.input }) });
`;
}

function dev(args: string[], cwd: string = home, env: Record<string, string> = {}): DevProcess {
  const d = new DevProcess(args, { home, cwd, env });
  running.push(d);
  return d;
}

const platformUrl = /^Local platform: (http:\/\/127\.0\.0\.1:\d+) /m;

async function runsync(url: string, input: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v2/local/runsync`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ input }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("runpod-ts dev", () => {
  it("serves the dashboard at / unless --no-dashboard", async () => {
    const on = dev(["--port", "0"]);
    const [, onUrl] = await on.waitFor(platformUrl);
    expect(on.stdout).toContain(`Dashboard: ${onUrl}/`);
    expect((await fetch(`${onUrl}/`)).status).toBe(200);

    const off = dev(["--port", "0", "--no-dashboard"]);
    const [, offUrl] = await off.waitFor(platformUrl);
    expect(off.stdout).not.toContain("Dashboard:");
    expect((await fetch(`${offUrl}/`)).status).toBe(404);
  });

  it("--host beyond loopback without --api-key warns at start; with a key it does not", async () => {
    const open = dev(["--port", "0", "--host", "127.0.0.2"]);
    await open.waitFor(
      /^\[platform\] warn: the local platform listens on 127\.0\.0\.2:\d+ without an API key: anyone who can reach this machine can submit, take and cancel jobs/m,
    );
    const keyed = dev(["--port", "0", "--host", "127.0.0.2", "--api-key", "k-dev"]);
    await keyed.waitFor(/^Local platform: http:\/\/127\.0\.0\.2:\d+ /m);
    expect(keyed.stdout).not.toContain("warn:");
  });

  it("alone: prints the URL, a curl line and the worker variables, key masked; SIGTERM exits 0", async () => {
    const key = "rpa_dev_platform_secret";
    const d = dev(["--port", "0", "--api-key", key]);
    const [, url] = await d.waitFor(platformUrl);
    await d.waitFor(/^ {2}export RUNPOD_AI_API_KEY='<api key>'$/m);
    expect(d.stdout).toContain(
      `curl -s -X POST ${url}/v2/local/runsync -H "Authorization: Bearer <api key>"`,
    );
    expect(d.stdout).toContain(
      `export RUNPOD_WEBHOOK_GET_JOB='${url}/v2/local/job-take/$ID?gpu=local'`,
    );
    expect(d.stdout).toContain(
      `export RUNPOD_WEBHOOK_PING='${url}/v2/local/ping/$RUNPOD_POD_ID?gpu=local'`,
    );
    // The platform requires the key it was given.
    const open = await fetch(`${url}/v2/local/health`);
    expect(open.status).toBe(401);
    const keyed = await fetch(`${url}/v2/local/health`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(keyed.status).toBe(200);
    expect(await d.stop()).toBe(0);
    expect(d.stdout + d.stderr).not.toContain(key);
    expect(d.stdout).toMatch(/^\[dev\] stopping$/m);
  });

  it("runs the worker file, restarts it when the file changes, and stops it on SIGTERM", async () => {
    const dir = join(home, "restart");
    mkdirSync(dir);
    const file = join(dir, "worker.mjs");
    writeFileSync(file, workerSource(1));
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "lib", "greeting.mjs"), 'export const greeting = "hello";\n');
    mkdirSync(join(dir, "node_modules"));
    const d = dev(["worker.mjs", "--port", "0"], dir);
    const [, url] = await d.waitFor(platformUrl);
    await d.waitFor(/^\[worker\] worker v1 ready$/m);
    // It runs the worker itself: no block telling how to connect one, and a try-it line that
    // works without a key on this open platform.
    expect(d.stdout).not.toContain("Connect any worker");
    expect(d.stdout).toContain(
      `runpod-ts endpoint runsync local --input '{}' --base-url ${url}/v2\n`,
    );
    const first = await runsync(url as string, { n: 1 });
    expect(first.body).toMatchObject({
      status: "COMPLETED",
      output: { version: 1, echo: { n: 1 } },
    });
    await d.waitFor(/^\[platform\] job \S+ COMPLETED/m);

    writeFileSync(file, workerSource(2));
    await d.waitFor(/^\[dev\] worker\.mjs changed; restarting the worker$/m);
    await d.waitFor(/^\[worker\] worker v2 ready$/m);
    const second = await runsync(url as string, { n: 2 });
    expect(second.body).toMatchObject({ status: "COMPLETED", output: { version: 2 } });

    // A module it imports, one directory down, restarts it as well.
    writeFileSync(join(dir, "lib", "greeting.mjs"), 'export const greeting = "bonjour";\n');
    await d.waitFor(/^\[dev\] lib\/greeting\.mjs changed; restarting the worker$/m);
    await d.waitFor(/^\[worker\] worker v2 ready$/m);
    const third = await runsync(url as string, { n: 3 });
    expect(third.body).toMatchObject({ output: { version: 2, greeting: "bonjour" } });

    expect(await d.stop()).toBe(0);
    expect(d.stdout).toMatch(/^\[dev\] stopping$/m);
    // The worker was asked to stop, not killed: our runtime logs its own graceful shutdown.
    expect(d.stdout.slice(d.stdout.lastIndexOf("[dev] stopping"))).toMatch(
      /^\[worker\] .*Worker stopped\.$/m,
    );
    // Dev answers a stopping worker's held job-take at once (drainWorker): on a restart or the
    // final stop, no worker says it waits for one.
    expect(d.stdout).not.toContain("Waiting for the job-take");
  });

  it("starts a fresh worker when one ends after its job (refreshWorker), not after a crash", async () => {
    const dir = join(home, "refresh");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "worker.mjs"),
      `import { serverless } from ${JSON.stringify(SERVERLESS)};
console.log("fresh worker ready");
serverless.start({ refreshWorker: true, handler: (job) => ({ echo: job.input }) });
`,
    );
    const d = dev(["worker.mjs", "--port", "0"], dir);
    const [, url] = await d.waitFor(platformUrl);
    for (const n of [1, 2]) {
      const r = await runsync(url as string, { n });
      expect(r.body).toMatchObject({ status: "COMPLETED", output: { echo: { n } } });
    }
    expect(d.stdout).toMatch(
      /^\[dev\] \[worker\] exited after its work \(refreshWorker\); starting a fresh one$/m,
    );
    expect(await d.stop()).toBe(0);

    // A worker that crashes stays down until a file changes, so a broken worker cannot loop.
    const crashDir = join(home, "crash");
    mkdirSync(crashDir);
    writeFileSync(join(crashDir, "worker.mjs"), 'console.log("crashing"); process.exit(3);\n');
    const c = dev(["worker.mjs", "--port", "0"], crashDir);
    await c.waitFor(/^\[dev\] \[worker\] exited with code 3; it restarts when a file changes$/m);
    expect(c.stdout.match(/crashing/g)).toHaveLength(1);
    expect(await c.stop()).toBe(0);
  });

  it("--concurrency N runs N labelled workers; a .ts worker runs through tsx", async () => {
    const dir = join(home, "typescript");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "worker.ts"),
      `import { serverless } from ${JSON.stringify(SERVERLESS)};
const greet = (name: string): string => \`hi \${name}\`;
console.log("ts worker ready");
serverless.start({ handler: (job: { input: { name: string } }) => greet(job.input.name) });
`,
    );
    const d = dev(["worker.ts", "--port", "0", "--concurrency", "2"], dir);
    const [, url] = await d.waitFor(platformUrl);
    await d.waitFor(/^\[worker-(1|2)\] ts worker ready$/m);
    await d.waitFor(/^\[worker-(1|2)\] ts worker ready$/m);
    expect(d.stdout).toMatch(/^\[worker-1\] ts worker ready$/m);
    expect(d.stdout).toMatch(/^\[worker-2\] ts worker ready$/m);
    const r = await runsync(url as string, { name: "ts" });
    expect(r.body).toMatchObject({ status: "COMPLETED", output: "hi ts" });
    expect(await d.stop()).toBe(0);
  });

  it("endpoint commands reach our real worker through dev: stream chunks, a FAILED job", async () => {
    const dir = join(home, "streaming");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "worker.mjs"),
      `import { serverless } from ${JSON.stringify(SERVERLESS)};
serverless.start({
  async *handler(job) {
    if (job.input.fail) throw new RangeError("words ran out");
    for (const word of job.input.words) yield word;
  },
});
`,
    );
    const d = dev(["worker.mjs", "--port", "0"], dir);
    const [, url] = await d.waitFor(platformUrl);
    // No key at all: the platform is open, and the CLI lets it decide.
    const cli = (args: string[]) =>
      runCli(["endpoint", ...args, "--base-url", `${url}/v2`], { home });
    const run = await cli([
      "run",
      "local",
      "--input",
      '{"words": ["one", "two", "three"]}',
      "--json",
    ]);
    const { id } = JSON.parse(run.stdout) as { id: string };
    const stream = await cli(["stream", "local", id]);
    expect(stream).toMatchObject({ code: 0, stdout: "one\ntwo\nthree\n" });
    const failed = await cli(["runsync", "local", "--input", '{"fail": true}']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^error: Job \S+ failed: handler: words ran out; the worker's traceback is in `runpod-ts endpoint status local \S+ --base-url http:\/\/127\.0\.0\.1:\d+\/v2 --json`\n$/,
    );
    expect(await d.stop()).toBe(0);
  });

  it("bad flags and files are reported before anything starts", async () => {
    const bad = dev(["--port", "99999"]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr).toContain("--port: must be at most 65535");
    const missing = dev(["nope.mjs", "--port", "0"]);
    expect(await missing.exited).toBe(1);
    expect(missing.stderr).toContain(
      `error: No worker file at ${join(home, "nope.mjs")}; check the path`,
    );
    const kind = dev(["worker.py", "--port", "0"]);
    expect(await kind.exited).toBe(2);
    expect(kind.stderr).toContain("worker.py: expected a .js, .mjs, .cjs, .ts, .mts or .cts file");
  });
});
