/**
 * `npm run bench:local`: the local platform end to end on loopback. Clients submit with `/run` and
 * wait with `/status-sync`; our worker runtime (a separate process, concurrency 32, no-op handler)
 * serves them through the worker protocol. Prints jobs/s and submit-to-COMPLETED latency at 1 and 64 clients,
 * plus the server's RSS; then the /runsync comparison of
 * bench/local-runsync.ts. Not a test: numbers depend on the machine.
 */
import { fork, spawn } from "node:child_process";
import { once } from "node:events";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { runsyncComparison } from "./local-runsync.js";

const WORKER_CONCURRENCY = 32;
const PHASES = [
  { name: "light", clients: 1, seconds: 3 },
  { name: "saturation", clients: 64, seconds: 6 },
];

const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

async function call(method: "GET" | "POST", url: string, body?: string, signal?: AbortSignal) {
  const res = await request(url, {
    method,
    dispatcher: agent,
    ...(signal ? { signal } : {}),
    ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

/**
 * Our worker runtime (the built package, bench/worker-sdk.mjs, no-op handler) as its own process,
 * connected to the platform through the worker protocol, as in production.
 */
function startWorker(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL("./worker-sdk.mjs", import.meta.url))],
    {
      env: { PATH: process.env.PATH ?? "", ...env, BENCH_CONCURRENCY: String(WORKER_CONCURRENCY) },
      // One log line per job start and finish: not what is measured here.
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  return {
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function client(base: string, until: number, latencies: number[]): Promise<void> {
  while (performance.now() < until) {
    const start = performance.now();
    const { text } = await call("POST", `${base}/run`, '{"input": {"n": 1}}');
    const { id } = JSON.parse(text) as { id: string };
    for (;;) {
      const status = JSON.parse(
        (await call("GET", `${base}/status-sync/${id}?wait=90000`)).text,
      ) as { status: string };
      if (status.status === "COMPLETED") break;
      if (status.status !== "IN_QUEUE" && status.status !== "IN_PROGRESS")
        throw new Error(`job ${id} ended ${status.status}`);
    }
    latencies.push(performance.now() - start);
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const server = fork(new URL("./local-server.ts", import.meta.url), {
  // BENCH_SERVER_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the platform process.
  execArgv: ["--import", "tsx", ...(process.env.BENCH_SERVER_ARGS?.split(" ") ?? [])],
});
const ask = <T>(message: string, key: string) =>
  new Promise<T>((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        server.off("message", on);
        resolve(m[key] as T);
      }
    };
    server.on("message", on);
    if (message) server.send(message);
  });
const { url: base, workerEnv } = await ask<{ url: string; workerEnv: Record<string, string> }>(
  "",
  "ready",
);
const worker = startWorker(workerEnv);

console.log(`runpod-ts local platform benchmark — ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`);
console.log(
  `worker: runpod-ts worker runtime (built package) in its own process, concurrency ${WORKER_CONCURRENCY}, no-op handler`,
);
const rows: string[] = [];
for (const phase of PHASES) {
  const latencies: number[] = [];
  // Warm up connections and JIT for a moment, then measure.
  await Promise.all(
    Array.from({ length: phase.clients }, () => client(base, performance.now() + 500, [])),
  );
  const start = performance.now();
  const until = start + phase.seconds * 1000;
  await Promise.all(Array.from({ length: phase.clients }, () => client(base, until, latencies)));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const rss = await ask<number>("rss", "rss");
  const row = `| ${phase.name} | ${phase.clients} | ${(latencies.length / elapsed).toFixed(0)} | ${pct(sorted, 50).toFixed(2)} | ${pct(sorted, 99).toFixed(2)} | ${(rss / 2 ** 20).toFixed(0)} |`;
  rows.push(row);
  console.log(
    `${phase.name}: ${phase.clients} client(s), ${latencies.length} jobs in ${elapsed.toFixed(1)} s`,
  );
}
console.log(
  "\n| load | clients | jobs/s | p50 ms | p99 ms | server RSS MB |\n| --- | --- | --- | --- | --- | --- |",
);
for (const row of rows) console.log(row);

await worker.stop();
const exited = once(server, "exit");
server.send("close");
await agent.close();
await exited;

await runsyncComparison();
