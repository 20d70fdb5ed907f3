/**
 * `npm run bench:worker`: worker throughput, per-job overhead, memory and cold start against a
 * loopback fake platform in its own process, compared with a minimal raw undici loop (the
 * machine's limit). Prints a table and records it in bench/RESULTS.md (section "Worker").
 * Not a test: figures depend on the machine.
 */
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

type Message =
  | { type: "ready"; port: number }
  | { type: "first-take"; at: number }
  | { type: "checkpoint"; done: number }
  | {
      type: "finished";
      jobs: number;
      seconds: number;
      p50: number;
      p99: number;
      endToDoneP99: number;
      endToDoneMax: number;
      takes: number;
      requests: number;
      cpuMs: number;
      connections: number;
    };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** A fake platform process: `BENCH_BACKLOG` and `BENCH_DELAY_MS` shape its network. */
interface Fake {
  base: string;
  send(message: { type: string; total?: number; checkpoints?: number[]; token?: string }): void;
  next<T extends Message["type"]>(type: T): Promise<Extract<Message, { type: T }>>;
}

async function startFake(env: Record<string, string> = {}): Promise<Fake> {
  const child = fork(resolve(root, "bench/worker-fake-platform.mjs"), {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  const listeners = new Set<(m: Message) => void>();
  child.on("message", (m: Message) => {
    for (const l of [...listeners]) l(m);
  });
  const next = <T extends Message["type"]>(type: T): Promise<Extract<Message, { type: T }>> =>
    new Promise((res) => {
      const l = (m: Message) => {
        if (m.type === type) {
          listeners.delete(l);
          res(m as Extract<Message, { type: T }>);
        }
      };
      listeners.add(l);
    });
  const { port } = await next("ready");
  const scheme = env.BENCH_TLS_KEY ? "https" : "http";
  return {
    base: `${scheme}://127.0.0.1:${port}/v2/bench-ep`,
    send: (message) => child.send(message),
    next,
  };
}

const fake = await startFake();
const next = fake.next;

function workerEnv(extra: Record<string, string>, base: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    RUNPOD_WEBHOOK_GET_JOB: `${base}/job-take/$ID?gpu=BENCH`,
    RUNPOD_WEBHOOK_POST_OUTPUT: `${base}/job-done/$RUNPOD_POD_ID/$ID?gpu=BENCH`,
    RUNPOD_WEBHOOK_POST_STREAM: `${base}/job-stream/$RUNPOD_POD_ID/$ID?gpu=BENCH`,
    RUNPOD_WEBHOOK_PING: `${base}/ping/$RUNPOD_POD_ID`,
    RUNPOD_POD_ID: "bench-pod",
    RUNPOD_AI_API_KEY: "bench-key",
    RUNPOD_ENDPOINT_ID: "bench-ep", // JSON log lines, as on the platform
    RUNPOD_PING_INTERVAL: "1000",
    BENCH_BASE: base,
    ...extra,
  };
}

function spawnWorker(
  kind: "sdk" | "raw",
  env: Record<string, string>,
  gc = false,
  nodeFlags: string[] = [],
  on: Fake = fake,
): ChildProcess {
  // Logs go to /dev/null: formatting them is part of the cost, a terminal is not.
  return spawn(
    process.execPath,
    [...(gc ? ["--expose-gc"] : []), ...nodeFlags, resolve(root, `bench/worker-${kind}.mjs`)],
    {
      cwd: root,
      env: workerEnv(env, on.base),
      stdio: ["ignore", "ignore", gc ? "pipe" : "inherit"],
    },
  );
}

interface Memory {
  rss: number;
  heap: number;
}

/** RSS and live heap (MB) after a full GC in the child (started with `gc = true`). */
async function memoryAfterGc(child: ChildProcess): Promise<Memory> {
  const heap = new Promise<number>((res) => {
    const onData = (chunk: Buffer) => {
      const m = /gc done (\d+)/.exec(chunk.toString());
      if (m) {
        child.stderr?.off("data", onData);
        res(Number(m[1]) / 1024 ** 2);
      }
    };
    child.stderr?.on("data", onData);
  });
  child.kill("SIGUSR2");
  const heapMb = await heap;
  return { rss: rssMb(child.pid as number), heap: heapMb };
}

/** Least-squares slope of `ys` over `xs`. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return num / den;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

interface Result {
  jobsPerSec: number;
  p50: number;
  p99: number;
  /** Job end (handler returned) → its job-done received, p99, in ms. */
  endToDoneP99: number;
  endToDoneMax: number;
  /** TCP connections the worker opened to the fake platform. */
  connections: number;
  /** The kernel's count of listen-queue overflows during the run (all of loopback). */
  listenOverflows: number;
  /** Requests the worker sent per job (job-takes, results, pings, stop polls). */
  requestsPerJob: number;
  /** Jobs per job-take answered with jobs or not. */
  jobsPerTake: number;
  /** CPU time per job, µs, of the fake platform and of the worker (all its threads). */
  fakeCpuUs: number;
  workerCpuUs: number;
}

/** `ListenOverflows` from /proc/net/netstat: SYNs dropped because an accept queue was full. */
/** CPU time (user + system, all threads) of a process so far, in ms, from /proc (10 ms ticks). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function listenOverflows(): number {
  const lines = readFileSync("/proc/net/netstat", "utf8").split("\n");
  const at = lines.findIndex((l) => l.startsWith("TcpExt:"));
  const names = lines[at]?.split(/\s+/) ?? [];
  const values = lines[at + 1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf("ListenOverflows")] ?? 0);
}

let runs = 0;
async function throughput(
  kind: "sdk" | "raw",
  concurrency: number,
  sleepMs: number,
  total: number,
  on: Fake = fake,
): Promise<Result> {
  // Each run's worker has its own path: the fake serves no other (see its `reset`).
  const token = `run-${++runs}`;
  on.send({ type: "reset", total, token });
  const finished = on.next("finished");
  const firstTake = on.next("first-take");
  const overflowsBefore = listenOverflows();
  const child = spawnWorker(
    kind,
    { BENCH_CONCURRENCY: String(concurrency), BENCH_SLEEP_MS: String(sleepMs) },
    false,
    [],
    { ...on, base: `${on.base}/${token}` },
  );
  // The worker's CPU from its first job-take to its last result: start-up is left out.
  await firstTake;
  const cpuAtFirstTake = cpuMsOf(child.pid as number);
  const r = await finished;
  const workerCpuMs = cpuMsOf(child.pid as number) - cpuAtFirstTake;
  await stop(child);
  return {
    jobsPerSec: r.jobs / r.seconds,
    p50: r.p50,
    p99: r.p99,
    endToDoneP99: r.endToDoneP99,
    endToDoneMax: r.endToDoneMax,
    connections: r.connections,
    listenOverflows: listenOverflows() - overflowsBefore,
    requestsPerJob: r.requests / r.jobs,
    jobsPerTake: r.jobs / r.takes,
    fakeCpuUs: (r.cpuMs * 1000) / r.jobs,
    workerCpuUs: (workerCpuMs * 1000) / r.jobs,
  };
}

// Cold start: process spawn to the first job-take request, COLD_RUNS spawns each, on loopback http
// and on https (as in production: TLS then loads in the main thread and in the heartbeat thread),
// with bare \`node -e 0\` (spawn to exit) in the same run for scale. The production environment
// (the platform's RUNPOD_WEBHOOK_* variables, pod id and key) starts the heartbeat thread and the
// stop channel, and the built-in fitness checks run as on the platform.
const COLD_RUNS = 11;

interface Spread {
  median: number;
  min: number;
  max: number;
}

const spread = (xs: number[]): Spread => ({
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
});

async function coldStartMs(on: Fake, extra: Record<string, string> = {}): Promise<Spread> {
  const starts: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    on.send({ type: "reset", total: 0 });
    const firstTake = on.next("first-take");
    const t0 = Date.now();
    const child = spawnWorker("sdk", extra, false, [], on);
    starts.push((await firstTake).at - t0);
    await stop(child);
  }
  return spread(starts);
}
async function measureColdStarts(): Promise<{
  coldStart: Spread;
  coldStartTls: Spread;
  bareNode: Spread;
}> {
  const tlsDir = mkdtempSync(join(tmpdir(), "bench-tls-"));
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(tlsDir, "key.pem")],
      ...["-out", join(tlsDir, "cert.pem")],
    ],
    { stdio: "ignore" },
  );
  const tlsFake = await startFake({
    BENCH_TLS_KEY: join(tlsDir, "key.pem"),
    BENCH_TLS_CERT: join(tlsDir, "cert.pem"),
  });
  const coldStart = await coldStartMs(fake);
  const coldStartTls = await coldStartMs(tlsFake, {
    NODE_EXTRA_CA_CERTS: join(tlsDir, "cert.pem"),
  });
  const bareNodeRuns: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const t0 = Date.now();
    execFileSync(process.execPath, ["-e", "0"]);
    bareNodeRuns.push(Date.now() - t0);
  }
  rmSync(tlsDir, { recursive: true, force: true });
  tlsFake.send({ type: "exit" });
  return { coldStart, coldStartTls, bareNode: spread(bareNodeRuns) };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
/** `median ms (min–max)` */
const fmtSpread = (s: Spread) => `${fmt(s.median)} ms (${fmt(s.min)}–${fmt(s.max)})`;

if (process.env.BENCH_ONLY === "cold start") {
  const c = await measureColdStarts();
  console.log(
    `Cold start, ${COLD_RUNS} spawns each, median (range): https ${fmtSpread(c.coldStartTls)}, loopback http ${fmtSpread(c.coldStart)}; bare \`node -e 0\` ${fmtSpread(c.bareNode)}. Load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")} at the end.`,
  );
  fake.send({ type: "exit" });
  process.exit(0);
}

const rows: string[][] = [];
// The fakes of a platform across a real network: Python's socketserver default listen backlog
// (5), and 20 ms added to every answer.
const backlog5 = await startFake({ BENCH_BACKLOG: "5" });
const latency20 = await startFake({ BENCH_DELAY_MS: "20" });
const scenarios: Array<{ name: string; c: number; sleep: number; total: number; on: Fake }> = [
  { name: "no-op", c: 1, sleep: 0, total: 4_000, on: fake },
  { name: "no-op", c: 8, sleep: 0, total: 15_000, on: fake },
  { name: "no-op", c: 64, sleep: 0, total: 30_000, on: fake },
  { name: "10 ms async", c: 64, sleep: 10, total: 20_000, on: fake },
  { name: "no-op, backlog 5", c: 64, sleep: 0, total: 6_000, on: backlog5 },
  { name: "no-op, +20 ms", c: 64, sleep: 0, total: 4_000, on: latency20 },
].filter((s) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(";").includes(s.name));
// The machine is shared and a single run moves by ±15 %: each scenario runs ROUNDS times, SDK and
// raw alternating, and the table shows medians.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const medianResult = (rs: Result[]): Result => {
  const of = (key: keyof Result) => median(rs.map((r) => r[key]));
  return {
    jobsPerSec: of("jobsPerSec"),
    p50: of("p50"),
    p99: of("p99"),
    endToDoneP99: of("endToDoneP99"),
    endToDoneMax: of("endToDoneMax"),
    connections: of("connections"),
    listenOverflows: of("listenOverflows"),
    requestsPerJob: of("requestsPerJob"),
    jobsPerTake: of("jobsPerTake"),
    fakeCpuUs: of("fakeCpuUs"),
    workerCpuUs: of("workerCpuUs"),
  };
};
const results: Record<string, { sdk: Result; raw: Result }> = {};
for (const s of scenarios) {
  const sdkRuns: Result[] = [];
  const rawRuns: Result[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    sdkRuns.push(await throughput("sdk", s.c, s.sleep, s.total, s.on));
    rawRuns.push(await throughput("raw", s.c, s.sleep, s.total, s.on));
  }
  const sdk = medianResult(sdkRuns);
  const raw = medianResult(rawRuns);
  results[`${s.name}@${s.c}`] = { sdk, raw };
  rows.push([
    `${s.name}, concurrency ${s.c}`,
    fmt(sdk.jobsPerSec),
    fmt(raw.jobsPerSec),
    fmt(sdk.jobsPerSec / raw.jobsPerSec, 2),
    `${fmt(sdk.p50, 2)} / ${fmt(sdk.p99, 2)}`,
    `${fmt(raw.p50, 2)} / ${fmt(raw.p99, 2)}`,
    `${fmt(sdk.endToDoneP99, 1)} / ${fmt(raw.endToDoneP99, 1)}`,
    `${fmt(sdk.connections)} / ${fmt(raw.connections)}`,
    `${fmt(sdk.listenOverflows)} / ${fmt(raw.listenOverflows)}`,
    `${fmt(sdk.requestsPerJob, 3)} (${fmt(sdk.jobsPerTake, 1)}) / ${fmt(raw.requestsPerJob, 3)}`,
    `${fmt(sdk.fakeCpuUs)} / ${fmt(sdk.workerCpuUs)}`,
    `${fmt(raw.fakeCpuUs)} / ${fmt(raw.workerCpuUs)}`,
  ]);
}
const header = [
  "workload",
  "SDK jobs/s",
  "raw jobs/s",
  "SDK/raw",
  "SDK p50 / p99 ms",
  "raw p50 / p99 ms",
  "job end → job-done p99 ms, SDK / raw",
  "connections, SDK / raw",
  "listen overflows, SDK / raw",
  "requests per job (jobs per take), SDK / raw",
  "CPU µs per job, fake / worker, SDK",
  "CPU µs per job, fake / worker, raw",
];
const table = [header, header.map(() => "---"), ...rows]
  .map((r) => `| ${r.join(" | ")} |`)
  .join("\n");
if (process.env.BENCH_ONLY) {
  console.log(table);
  for (const f of [fake, backlog5, latency20]) f.send({ type: "exit" });
  process.exit(0);
}

// Idle RSS with the heartbeat thread running, 3 s after the first job-take (median of 3). Once
// more with V8's WebAssembly tier-up off, to show what compiling undici's WASM HTTP parser
// (llhttp) with TurboFan leaves behind: a diagnostic only, the target is judged on the default.
async function idleRssMb(nodeFlags: string[] = []): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    fake.send({ type: "reset", total: 0 });
    const firstTake = next("first-take");
    const idle = spawnWorker("sdk", {}, false, nodeFlags);
    await firstTake;
    await new Promise((r) => setTimeout(r, 3_000));
    samples.push(rssMb(idle.pid as number));
    await stop(idle);
  }
  return samples.sort((a, b) => a - b)[1] as number;
}
const idleRss = await idleRssMb();
const idleRssLiftoff = await idleRssMb(["--liftoff-only"]);

// RSS growth over 100,000 jobs, after a 10,000-job warm-up: RSS and live heap after a full GC at
// six checkpoints, and the least-squares slope through them. A single before/after pair is
// dominated by freed pages V8 has not yet returned (±10 MB between runs); a leak is a trend.
const WARMUP = 10_000;
const JOBS = 100_000;
const checkpoints = Array.from({ length: 6 }, (_, i) => WARMUP + (i * JOBS) / 5);
fake.send({ type: "reset", total: WARMUP + JOBS, checkpoints });
const growthChild = spawnWorker("sdk", { BENCH_CONCURRENCY: "8" }, true);
const samples: Memory[] = [];
for (const _ of checkpoints) {
  await next("checkpoint");
  samples.push(await memoryAfterGc(growthChild));
}
await stop(growthChild);
const perJobs = (ys: number[]) => slope(checkpoints, ys) * JOBS;
const rssGrowth = perJobs(samples.map((m) => m.rss));
const heapGrowth = perJobs(samples.map((m) => m.heap));
const rssSeries = samples.map((m) => fmt(m.rss, 1)).join(", ");

const { coldStart, coldStartTls, bareNode } = await measureColdStarts();
for (const f of [fake, backlog5, latency20]) f.send({ type: "exit" });

const c1 = results["no-op@1"] as { sdk: Result; raw: Result };
const t64 = results["10 ms async@64"] as { sdk: Result; raw: Result };
const rawCeiling64 = (results["no-op@64"] as { raw: Result }).raw.jobsPerSec;
const target64 = 0.9 * Math.min(6_400, rawCeiling64);
const verdict = (ok: boolean) => (ok ? "met" : "not met");

const cpu = cpus();
// The load average says how much else ran meanwhile: figures on a shared machine move with it.
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${fmt(totalmem() / 1024 ** 3, 1)} GB RAM, Node ${process.versions.node}, ${process.platform} ${process.arch}, load average ${loadavg()
  .map((l) => fmt(l, 1))
  .join(" / ")} at the end`;
const checks = [
  `- Per-job overhead at concurrency 1 (p50, take answered → result received): SDK ${fmt(c1.sdk.p50, 3)} ms vs raw ${fmt(c1.raw.p50, 3)} ms = ${fmt(c1.sdk.p50 / c1.raw.p50, 2)}x (target ≤ 1.5x: ${verdict(c1.sdk.p50 / c1.raw.p50 <= 1.5)}).`,
  `- 10 ms handler at concurrency 64: ${fmt(t64.sdk.jobsPerSec)} jobs/s; ideal 6400, raw no-op ceiling at 64 ${fmt(rawCeiling64)}; target ≥ 90 % of the lower = ${fmt(target64)} jobs/s (${verdict(t64.sdk.jobsPerSec >= target64)}). The raw loop with the same 10 ms handler: ${fmt(t64.raw.jobsPerSec)} jobs/s (${fmt((100 * t64.raw.jobsPerSec) / Math.min(6_400, rawCeiling64))} % of the lower); SDK/raw ${fmt(t64.sdk.jobsPerSec / t64.raw.jobsPerSec, 2)}.`,
  `- Idle RSS with the heartbeat thread (median of 3): ${fmt(idleRss, 1)} MB (target ≤ 70 MB: ${verdict(idleRss <= 70)}); with V8's WASM tier-up off (\`--liftoff-only\`, diagnostic): ${fmt(idleRssLiftoff, 1)} MB.`,
  `- RSS growth over ${JOBS.toLocaleString("en")} jobs (concurrency 8, after a ${WARMUP.toLocaleString("en")}-job warm-up; slope through RSS after a full GC every ${(JOBS / 5).toLocaleString("en")} jobs: ${rssSeries} MB): ${fmt(rssGrowth, 1)} MB per ${JOBS.toLocaleString("en")} jobs (target ≤ 10 MB: ${verdict(rssGrowth <= 10)}); live heap ${fmt(heapGrowth, 2)} MB per ${JOBS.toLocaleString("en")} jobs.`,
  `- Cold start (spawn → first job-take request, median (range) of ${COLD_RUNS}), production env with the heartbeat thread: https ${fmtSpread(coldStartTls)} (target ≤ 130 ms: ${verdict(coldStartTls.median <= 130)}), loopback http ${fmtSpread(coldStart)}; bare \`node -e 0\` ${fmtSpread(bareNode)}.`,
].join("\n");

const section = `## Worker

Measured by \`npm run bench:worker\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.
The fake platform runs in its own process on loopback; the SDK worker is the built package
(\`bench/worker-sdk.mjs\`, JSON log lines to /dev/null); "raw" is a minimal undici GET + POST loop
per slot (\`bench/worker-raw.mjs\`). Latency is measured by the fake from handing out a job to
receiving its result. Each workload ran ${ROUNDS} times, SDK and raw alternating; figures are medians.
Requests per job count all the worker sent (job-takes, results, pings, stop polls); CPU per job runs
from the first job-take to the last result (the fake's \`process.cpuUsage()\`, the worker's
/proc/PID/stat, all threads, 10 ms ticks). On a shared machine CPU per job and requests per job move
less than jobs/s.

${table}

${checks}
`;

console.log(`\n${machine}\n\n${table}\n\n${checks}\n`);

const resultsPath = resolve(root, "bench/RESULTS.md");
let existing = "";
try {
  existing = readFileSync(resultsPath, "utf8");
} catch {
  existing = "# Benchmark results\n\n";
}
const start = existing.indexOf("## Worker\n");
let updated: string;
if (start < 0) updated = `${existing.trimEnd()}\n\n${section}`;
else {
  const end = existing.indexOf("\n## ", start + 1);
  updated = existing.slice(0, start) + section + (end < 0 ? "" : existing.slice(end + 1));
}
writeFileSync(resultsPath, `${updated.trimEnd()}\n`);
console.log(`Recorded in ${resultsPath}`);
