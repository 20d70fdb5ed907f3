/**
 * The /runsync part of `npm run bench:local`: `POST /runsync` with a trivial handler, our platform
 * with its in-process worker (a worker file run with `--rp_serve_api`, as a user runs it) against a
 * minimal Hono server that calls the same handler inside the request. Both servers are processes of
 * their own, started once; the clients (undici, keep-alive) run in the bench process; rounds
 * alternate between the two so machine load hits both alike; each server's CPU time per request
 * (from /proc) is printed beside req/s, as it moves less with machine load. Then each server's
 * memory over 60,000 requests (sampled throughout, then idle), with Node's defaults and with
 * `--optimize-for-size`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";

const ROUNDS = 3;
const ROUND_SECONDS = 3;
const CLIENTS = [1, 16];
const MEMORY_STEPS = [20_000, 40_000, 60_000];
const MEMORY_CLIENTS = 16;
/** How often RSS is sampled while a memory series runs: one reading lands anywhere on the saw. */
const RSS_SAMPLE_MS = 100;
/** How long a server is left idle after its last step, and when its RSS is read meanwhile. */
const IDLE_READS_S = [15, 30, 45];
const BODY = '{"input": {"n": 1}}';

const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000, pipelining: 1 });

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  stderrLines: string[];
}

/** Starts `node args…` and resolves once a line of its stdout holds its URL. */
async function startServer(name: string, args: string[], urlPattern: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, RUNPOD_DEBUG_LEVEL: process.env.RUNPOD_DEBUG_LEVEL ?? "INFO" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderrLines: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (d: string) => stderrLines.push(...d.split("\n")));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const onData = (d: string) => {
      seen += d;
      const m = urlPattern.exec(seen);
      if (m?.[1]) {
        // Stop reading what follows: scanning a growing copy of every later log line made the
        // bench process (the clients) pay for the server's output, and only for ours.
        child.stdout?.off("data", onData);
        resolve(m[1]);
      }
    };
    child.stdout?.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`${name} exited ${code}: ${stderrLines.join("\n")}`)),
    );
  });
  // Keep draining its output (the worker logs each job, as it does for a user).
  child.stdout?.resume();
  return { name, url, child, stderrLines };
}

async function runsync(url: string): Promise<void> {
  const res = await request(`${url}/runsync`, {
    method: "POST",
    dispatcher: agent,
    body: BODY,
    headers: { "content-type": "application/json" },
  });
  const text = await res.body.text();
  if (res.statusCode !== 200 || !text.includes('"COMPLETED"'))
    throw new Error(`runsync answered ${res.statusCode}: ${text}`);
}

async function load(url: string, clients: number, ms: number, latencies: number[]) {
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        await runsync(url);
        latencies.push(performance.now() - start);
      }
    }),
  );
}

async function count(url: string, clients: number, total: number) {
  let left = total;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left > 0) {
        left--;
        await runsync(url);
      }
    }),
  );
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

interface Round {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time of the server process per request, µs: steadier than req/s on a loaded machine. */
  cpuUs: number;
}

async function round(server: Server, clients: number): Promise<Round> {
  await load(server.url, clients, 300, []);
  const latencies: number[] = [];
  const pid = server.child.pid as number;
  const cpuBefore = cpuMs(pid);
  const start = performance.now();
  await load(server.url, clients, ROUND_SECONDS * 1000, latencies);
  const seconds = (performance.now() - start) / 1000;
  const cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / latencies.length;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    cpuUs,
  };
}

/** User + system CPU time of a process so far, in ms (Linux: /proc, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? Number.NaN) / 1024;
}

interface GcReport {
  /** Live heap after a full gc, bytes. */
  heapUsed: number;
  /** Young generation and old space as V8 had them just before that gc (what RSS holds), bytes. */
  newSpace: number;
  oldSpace: number;
}

/** Collects garbage in a server process (SIGUSR2, see gc-report.mjs) and returns its report. */
async function gcReport(server: Server): Promise<GcReport> {
  const before = server.stderrLines.length;
  server.child.kill("SIGUSR2");
  for (;;) {
    const line = server.stderrLines.slice(before).find((l) => l.startsWith("gc done "));
    if (line) return JSON.parse(line.slice(8)) as GcReport;
    await once(server.child.stderr as NodeJS.EventEmitter, "data");
  }
}

async function stop(server: Server) {
  const exited = once(server.child, "exit");
  server.child.kill("SIGTERM");
  await exited;
}

export async function runsyncComparison(): Promise<void> {
  const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
  const ours = await startServer(
    "ours",
    ["--expose-gc", here("./runsync-worker.mjs"), "--rp_serve_api", "--rp_api_port", "0"],
    /Local platform: (http:\/\/\S+) /,
  );
  const baseline = await startServer(
    "baseline",
    [here("./runsync-baseline.mjs")],
    /(http:\/\/\S+)/,
  );
  console.log(
    "\nPOST /runsync, trivial handler: ours = a worker file run with --rp_serve_api (platform and worker in one process, dashboard on, default logging);",
  );
  console.log(
    `baseline = minimal Hono server calling the same handler in the request. one warm-up round each, then ${ROUNDS} rounds of ${ROUND_SECONDS} s each, alternating; medians.`,
  );
  const table: string[] = [];
  for (const clients of CLIENTS) {
    const results: Record<string, Round[]> = { ours: [], baseline: [] };
    // One round each first, not counted: the first seconds of a fresh process run unoptimised
    // code (ours measured 880 req/s in its first round against 2,600 after), which would make the
    // median of three rounds depend on which round JIT warm-up fell in.
    for (const s of [ours, baseline]) await round(s, clients);
    for (let i = 0; i < ROUNDS; i++) {
      for (const s of [ours, baseline]) results[s.name]?.push(await round(s, clients));
    }
    const med = (name: string, k: keyof Round) => median((results[name] ?? []).map((r) => r[k]));
    const rpsRatio = med("ours", "rps") / med("baseline", "rps");
    const p99Ratio = med("ours", "p99") / med("baseline", "p99");
    const cpuRatio = med("ours", "cpuUs") / med("baseline", "cpuUs");
    for (const name of ["ours", "baseline"]) {
      table.push(
        `| ${name} | ${clients} | ${med(name, "rps").toFixed(0)} | ${med(name, "p50").toFixed(2)} | ${med(name, "p99").toFixed(2)} | ${med(name, "cpuUs").toFixed(0)} | ${(results[name] ?? []).map((r) => r.rps.toFixed(0)).join(", ")} |`,
      );
    }
    table.push(
      `| ours/baseline | ${clients} | ${rpsRatio.toFixed(2)}× ${rpsRatio >= 0.8 ? "(met, ≥ 0.8×)" : "(NOT met, < 0.8×)"} | | ${p99Ratio.toFixed(2)}× ${p99Ratio <= 2 ? "(met, ≤ 2×)" : "(NOT met, > 2×)"} | ${cpuRatio.toFixed(2)}× | |`,
    );
  }
  console.log(
    "\n| server | clients | req/s | p50 ms | p99 ms | server CPU µs/req | req/s per round |\n| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const row of table) console.log(row);

  await stop(ours);
  await stop(baseline);
  await memoryComparison();
  await agent.close();
}

/** One memory series: a fresh process of `file` serving MEMORY_STEPS /runsync requests. */
async function memorySeries(name: string, file: string, flags: string[], urlPattern: RegExp) {
  const server = await startServer(
    name,
    [
      "--expose-gc",
      ...flags,
      file,
      ...(name === "ours" ? ["--rp_serve_api", "--rp_api_port", "0"] : []),
    ],
    urlPattern,
  );
  const pid = server.child.pid as number;
  const steps: Array<{ n: number; rss: number; gc: GcReport }> = [];
  let done = 0;
  const cpuBefore = cpuMs(pid);
  // Under load V8's old space grows to its limit (up to 4× the live heap) and a full gc cuts it
  // back, so RSS saws: the readings from the first step to the last show its range.
  const sawn: number[] = [];
  const sampler = setInterval(() => {
    if (done >= (MEMORY_STEPS[0] as number)) sawn.push(rssMb(pid));
  }, RSS_SAMPLE_MS);
  for (const n of MEMORY_STEPS) {
    await count(server.url, MEMORY_CLIENTS, n - done);
    done = n;
    // RSS first: the gc that follows changes it.
    const rss = rssMb(pid);
    steps.push({ n, rss, gc: await gcReport(server) });
  }
  clearInterval(sampler);
  const cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / done;
  // Idle: V8's memory reducer shrinks the young generation and compacts old space once the
  // allocation rate stays low (no forced gc here: the reducer's own timing is what is measured).
  const idle: number[] = [];
  let waited = 0;
  for (const s of IDLE_READS_S) {
    await new Promise((resolve) => setTimeout(resolve, (s - waited) * 1000));
    waited = s;
    idle.push(rssMb(pid));
  }
  await stop(server);
  sawn.sort((a, b) => a - b);
  return { steps, cpuUs, sawn, idle };
}

/**
 * RSS over /runsync requests, ours against the baseline, each in a fresh process, with Node's
 * defaults and then with `--optimize-for-size` (a V8 flag only the user can give their process:
 * the library never sets one; the figures show what it would buy and cost).
 */
async function memoryComparison(): Promise<void> {
  const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(
    `\nServer process memory over /runsync requests (${MEMORY_CLIENTS} clients, a fresh process per row, RSS read before a forced gc; the spaces are V8's committed sizes at the last step, the live heap is after the gc):`,
  );
  console.log(
    `| server | V8 flags | ${MEMORY_STEPS.map((n) => `RSS MB at ${n / 1000}k`).join(" | ")} | RSS MB per 10k | RSS MB min / median / max, ${(MEMORY_STEPS[0] as number) / 1000}k–${(MEMORY_STEPS.at(-1) as number) / 1000}k | live heap MB | young gen MB | old space MB | server CPU µs/req | RSS MB idle ${IDLE_READS_S.join(" / ")} s |`,
  );
  console.log(
    `| --- | --- | ${MEMORY_STEPS.map(() => "---").join(" | ")} | --- | --- | --- | --- | --- | --- | --- |`,
  );
  const verdicts: string[] = [];
  for (const flags of [[], ["--optimize-for-size"]]) {
    for (const [name, file, pattern] of [
      ["ours", here("./runsync-worker.mjs"), /Local platform: (http:\/\/\S+) /],
      ["baseline", here("./runsync-baseline.mjs"), /(http:\/\/\S+)/],
    ] as const) {
      const { steps, cpuUs, sawn, idle } = await memorySeries(name, file, flags, pattern);
      const at = (q: number) => (sawn[Math.floor(q * (sawn.length - 1))] ?? Number.NaN).toFixed(0);
      const first = steps[0] as (typeof steps)[number];
      const last = steps.at(-1) as (typeof steps)[number];
      const slope = ((last.rss - first.rss) / (last.n - first.n)) * 10_000;
      console.log(
        `| ${name} | ${flags.join(" ") || "(none)"} | ${steps.map((s) => s.rss.toFixed(0)).join(" | ")} | ${slope.toFixed(1)} | ${at(0)} / ${at(0.5)} / ${at(1)} | ${mb(last.gc.heapUsed)} | ${mb(last.gc.newSpace)} | ${mb(last.gc.oldSpace)} | ${cpuUs.toFixed(0)} | ${idle.map((r) => r.toFixed(0)).join(" / ")} |`,
      );
      if (name === "ours") {
        verdicts.push(
          `ours${flags.length ? ` with ${flags.join(" ")}` : ", Node's defaults"}: RSS at ${first.n}: ${first.rss.toFixed(0)} MB, up to ${at(1)} MB after it under load ${Number(at(1)) <= 100 ? "(met, ≤ 100 MB)" : "(NOT met, > 100 MB)"}; ${idle.at(-1)?.toFixed(0)} MB after ${IDLE_READS_S.at(-1)} s idle`,
        );
      }
    }
  }
  for (const v of verdicts) console.log(v);
}
