/**
 * `npm run bench:lb`: the local load balancer against the same app served directly, in the same
 * run. Small JSON requests (requests/s, p50/p99 at 16 concurrent keep-alive clients; target: the
 * balancer at ≥ 0.5× direct) and streaming time to first byte (sequential requests; target: within
 * 5 ms of direct). Rounds alternate direct / balancer so load on the machine hits both alike; the
 * medians are printed as ratios against direct. Not a test: figures depend on the machine.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";

const CLIENTS = 16;
const SECONDS = 3;
const ROUNDS = 3;
const TTFB_SAMPLES = 200;
const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A child process, resolved with its first stdout line once printed. */
async function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  return {
    line: first.toString().trim(),
    pid: child.pid as number,
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * CPU time a process has used, in ms (Linux `/proc/PID/stat` utime + stime, 10 ms ticks): what a
 * request costs a process does not depend on how long it waited for a core, unlike req/s on a
 * busy machine.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

async function json(base: string) {
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const body = JSON.stringify({ prompt: "hello", n: 1 });
  const client = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const res = await request(`${base}/json`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        dispatcher: agent,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / SECONDS, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99) };
}

async function ttfb(base: string) {
  const samples: number[] = [];
  for (let i = 0; i < TTFB_SAMPLES; i++) {
    const t = performance.now();
    const res = await request(`${base}/stream`, { dispatcher: agent });
    for await (const _chunk of res.body) {
      samples.push(performance.now() - t);
      break;
    }
    await res.body.dump();
  }
  return median(samples);
}

const port = await freePort();
const direct = await start([here("./lb-app.mjs")], { PORT: String(port) });
const directUrl = `http://127.0.0.1:${port}`;
const balancer = await start([here("./lb-server.mjs")]);
const [lbUrl = "", workerPid] = balancer.line.split(" ");

// Warm both paths (JIT, keep-alive connections).
for (const base of [directUrl, lbUrl]) {
  await json(base).catch(() => {});
}

const results = {
  direct: [] as Awaited<ReturnType<typeof json>>[],
  lb: [] as Awaited<ReturnType<typeof json>>[],
};
const ttfbs = { direct: [] as number[], lb: [] as number[] };
/**
 * CPU ms per request of each process on either path: the bench's own client, the app served
 * directly, the balancer process and the same app as its worker. On a machine whose cores all
 * processes share, the ratio of the paths' req/s follows the ratio of these sums.
 */
const cpu = {
  directClient: [] as number[],
  app: [] as number[],
  lbClient: [] as number[],
  balancer: [] as number[],
  worker: [] as number[],
};
const clientMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    let before = cpuMs(direct.pid);
    let client = clientMs();
    const d = await json(directUrl);
    cpu.app.push((cpuMs(direct.pid) - before) / (d.rps * SECONDS));
    cpu.directClient.push((clientMs() - client) / (d.rps * SECONDS));
    results.direct.push(d);
    before = cpuMs(balancer.pid);
    const workerBefore = cpuMs(Number(workerPid));
    client = clientMs();
    const l = await json(lbUrl);
    cpu.balancer.push((cpuMs(balancer.pid) - before) / (l.rps * SECONDS));
    cpu.worker.push((cpuMs(Number(workerPid)) - workerBefore) / (l.rps * SECONDS));
    cpu.lbClient.push((clientMs() - client) / (l.rps * SECONDS));
    results.lb.push(l);
    ttfbs.direct.push(await ttfb(directUrl));
    ttfbs.lb.push(await ttfb(lbUrl));
  }
} finally {
  // Also when a round fails: no server process outlives the bench.
  await Promise.all([direct.stop(), balancer.stop()]);
  await agent.close();
}

const summary = (rs: typeof results.direct) => ({
  rps: median(rs.map((r) => r.rps)),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
});
const d = summary(results.direct);
const l = summary(results.lb);
const f = (n: number, digits = 2) => n.toFixed(digits);
console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(`small JSON, ${CLIENTS} clients, ${ROUNDS}×${SECONDS} s, medians of rounds:`);
console.log(`  direct:   ${f(d.rps, 0)} req/s  p50 ${f(d.p50)} ms  p99 ${f(d.p99)} ms`);
console.log(`  balancer: ${f(l.rps, 0)} req/s  p50 ${f(l.p50)} ms  p99 ${f(l.p99)} ms`);
const ratio = l.rps / d.rps;
console.log(`  ratio ${f(ratio)}× direct (target ≥ 0.5×): ${ratio >= 0.5 ? "met" : "NOT met"}`);
const us = (xs: number[]) => median(xs) * 1000;
const cpuApp = us(cpu.app);
const cpuLb = us(cpu.balancer);
const directSum = us(cpu.directClient) + cpuApp;
const lbSum = us(cpu.lbClient) + cpuLb + us(cpu.worker);
console.log(
  `  CPU per request: the app served directly ${f(cpuApp, 0)} µs, the balancer process ${f(cpuLb, 0)} µs (${f(cpuLb / cpuApp, 1)}× the app's own)`,
);
console.log(
  `  CPU per request of the whole path: direct ${f(directSum, 0)} µs (client ${f(us(cpu.directClient), 0)} + app ${f(cpuApp, 0)}), balancer ${f(lbSum, 0)} µs (client ${f(us(cpu.lbClient), 0)} + balancer ${f(cpuLb, 0)} + worker ${f(us(cpu.worker), 0)}): ratio ${f(directSum / lbSum)}`,
);
const td = median(ttfbs.direct);
const tl = median(ttfbs.lb);
console.log(`streaming time to first byte, ${TTFB_SAMPLES} sequential requests per round:`);
console.log(`  direct ${f(td)} ms, balancer ${f(tl)} ms, difference ${f(tl - td)} ms`);
console.log(`  (target within 5 ms): ${tl - td <= 5 ? "met" : "NOT met"}`);
