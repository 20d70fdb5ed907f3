// `npm run demo`: two local platforms (one per endpoint), the example echo and streaming workers
// as child processes connected to them through the production worker protocol, and the endpoint
// client calling them over HTTP: runSync, run + output, stream, cancel and health.
// Exits 0 when every step did what it should, 1 with the reason (and the workers' logs) otherwise.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Endpoint } from "runpod-ts";
import { createLocalPlatform } from "runpod-ts/serverless";

const API_KEY = "local-demo-key";
/** A watchdog, not a pacing delay: a demo that hangs should fail with a message instead. */
const DEMO_LIMIT_MS = 60_000;

const show = (value) => JSON.stringify(value);
const say = (line = "") => console.log(line);

/** Starts `examples/workers/<file>` against `platform` and keeps its log lines. */
function startWorker(platform, file, workerId) {
  const path = fileURLToPath(new URL(`./workers/${file}`, import.meta.url));
  const child = spawn(process.execPath, [path], {
    env: { ...process.env, ...platform.workerEnv(workerId) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  let waiters = [];
  let rest = "";
  const onData = (chunk) => {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.pattern.test(line))) w.resolve(line);
      waiters = waiters.filter((w) => !w.pattern.test(line));
    }
  };
  child.stdout.setEncoding("utf8").on("data", onData);
  child.stderr.setEncoding("utf8").on("data", onData);
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    file,
    lines,
    exited,
    child,
    /**
     * A graceful stop: the platform answers the worker's held job-take now (a stopping worker
     * waits for its take in flight, which could still bring jobs), then SIGTERM.
     */
    stop() {
      platform.drainWorker(workerId);
      child.kill("SIGTERM");
    },
    /** The first log line matching `pattern`, printed already or later. */
    waitForLine(pattern) {
      const found = lines.find((l) => pattern.test(l));
      return found
        ? Promise.resolve(found)
        : new Promise((r) => waiters.push({ pattern, resolve: r }));
    },
  };
}

const platforms = [];
const workers = [];
let shuttingDown = false;

async function main() {
  say("runpod-ts demo: local platform + example workers + endpoint client");
  say();

  const echoPlatform = await createLocalPlatform({ port: 0, endpointId: "echo", apiKey: API_KEY });
  platforms.push(echoPlatform);
  const streamPlatform = await createLocalPlatform({
    port: 0,
    endpointId: "stream",
    apiKey: API_KEY,
  });
  platforms.push(streamPlatform);
  workers.push(startWorker(echoPlatform, "echo.mjs", "echo-worker"));
  workers.push(startWorker(streamPlatform, "stream.mjs", "stream-worker"));
  for (const worker of workers) {
    // A worker that dies early (say, dist/ not built) would leave its jobs queued forever.
    worker.exited.then((code) => {
      if (!shuttingDown) fail(new Error(`${worker.file} exited early with code ${code}`));
    });
  }
  const streamWorker = workers[1];

  say("Endpoints (one local platform each, a worker process behind it):");
  say(`  echo    ${echoPlatform.endpointUrl}  <- examples/workers/echo.mjs`);
  say(`  stream  ${streamPlatform.endpointUrl}  <- examples/workers/stream.mjs`);
  say();

  const client = (platform) =>
    new Endpoint(platform.endpointId, { baseUrl: `${platform.url}/v2`, apiKey: API_KEY });
  const echo = client(echoPlatform);
  const stream = client(streamPlatform);

  say("1. runSync: submit and wait in one call");
  const greeting = await echo.runSync({ name: "Ada" });
  say(`   echo.runSync({"name":"Ada"}) -> ${show(greeting)}`);
  say();

  say("2. run + output: submit, get a job id, wait for the result later");
  const job = await echo.run({ name: "Grace" });
  say(`   echo.run({"name":"Grace"}) -> job ${job.id}`);
  say(`   job.output() -> ${show(await job.output())}`);
  say(`   job.status() -> ${(await job.status()).status}`);
  say();

  say("3. stream: chunks as the handler yields them");
  const streamed = await stream.run({ words: 4 });
  for await (const chunk of streamed.stream()) say(`   chunk ${show(chunk)}`);
  const aggregate = await streamed.output();
  say(`   job.output() -> ${aggregate.length} chunks (returnAggregateStream)`);
  say();

  say("4. cancel: stop a long job while it runs");
  const long = await stream.run({ words: 200 });
  let received = 0;
  for await (const _chunk of long.stream()) {
    if (++received === 3) break;
  }
  say(`   job ${long.id}: ${received} of 200 chunks received, cancelling`);
  say(`   job.cancel() -> ${(await long.cancel()).status}`);
  const stopped = await streamWorker.waitForLine(new RegExp(`${long.id} \\| aborted \\(`));
  say(`   the handler saw ctx.signal abort: ${stopped.split(" | ").at(-1)}`);
  say();

  say("5. health: job and worker counts per endpoint");
  for (const [name, endpoint] of [
    ["echo", echo],
    ["stream", stream],
  ]) {
    const { jobs, workers: w } = await endpoint.health();
    say(
      `   ${name.padEnd(6)} jobs: completed ${jobs.completed}, failed ${jobs.failed}, ` +
        `in queue ${jobs.inQueue}, in progress ${jobs.inProgress}; ` +
        `workers: idle ${w.idle}, running ${w.running}`,
    );
  }
  say();

  shuttingDown = true;
  for (const worker of workers) worker.stop();
  const codes = await Promise.all(workers.map((w) => w.exited));
  if (codes.some((code) => code !== 0)) {
    throw new Error(`a worker exited with code ${codes.join(", ")} on SIGTERM`);
  }
  await Promise.all(platforms.map((p) => p.close()));
  say(`Workers stopped (exit codes ${codes.join(", ")}), platforms closed. Demo OK.`);
  clearTimeout(watchdog);
}

/** Prints why the demo failed and the workers' logs, stops everything, exits 1. */
function fail(error) {
  shuttingDown = true;
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  for (const worker of workers) {
    console.error(`\n--- ${worker.file} log (last 20 lines) ---`);
    console.error(worker.lines.slice(-20).join("\n"));
    worker.child.kill("SIGKILL");
  }
  process.exit(1);
}

const watchdog = setTimeout(
  () => fail(new Error(`no result after ${DEMO_LIMIT_MS / 1000} s`)),
  DEMO_LIMIT_MS,
);
main().catch(fail);
