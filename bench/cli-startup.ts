/**
 * Start-up cost of the built CLI, command by command: median wall time and median CPU time (user +
 * system, as the child process itself reports it at exit) of N runs, against `node -e 0` (Node's
 * own start-up). `endpoint status` and `pod list` talk to an HTTP server of this process on
 * 127.0.0.1, so they run their whole path (flags, key from the config file, request, output).
 * Target: `--help` under 150 ms of wall time.
 *
 *   npm run bench:cli                             (builds first)
 *   RUNS=31 npm run bench:cli
 *   tsx bench/cli-startup.ts OTHER/cli/index.js   (paired: this build against another one)
 *
 * With another build, every round runs the command once with each, in alternating order, so both
 * see the same load on a shared machine; compare only figures of the same run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const TARGET_MS = 150;
const runs = Number(process.env.RUNS ?? 21);
const cli = join(import.meta.dirname, "..", "dist", "cli", "index.js");
const other = process.argv[2] === undefined ? undefined : resolve(process.argv[2]);
for (const file of [cli, other]) {
  if (file !== undefined && !existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

// The child's own CPU time, written to fd 3 as it exits: no parent-side accounting that differs
// between platforms, and the same small preload for every command, the baseline included.
const CPU_PRELOAD =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.cpuUsage();writeSync(3,String(u.user+u.system))})';

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function runOnce(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, [`--import=${CPU_PRELOAD}`, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let cpu = "";
    let stderr = "";
    child.stdout?.resume();
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdio[3]?.on("data", (chunk: Buffer) => {
      cpu += chunk.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0) fail(new Error(`node ${args.join(" ")} exited ${code}: ${stderr}`));
      else done({ wallMs, cpuMs: Number(cpu) / 1000 });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Answers as Runpod would for the two commands that make a request. */
const server = createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.url?.startsWith("/v2/ep1/status/")) {
    res.end(JSON.stringify({ id: "job1", status: "COMPLETED", output: { text: "hi" } }));
  } else if (req.url?.startsWith("/v2/pods")) {
    res.end(JSON.stringify({ pods: [] }));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: "not found" }));
  }
});
await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// A private HOME with a saved key, as after `runpod-ts config`.
const home = mkdtempSync(join(tmpdir(), "runpod-ts-bench-cli-"));
mkdirSync(join(home, ".runpod"));
writeFileSync(join(home, ".runpod", "config.toml"), '[default]\napi_key = "rpa_bench_key_0000"\n');
const env = { PATH: process.env.PATH ?? "", HOME: home, RUNPOD_API_BASE_URL: origin };

const commands: readonly string[][] = [
  ["--help"],
  ["--version"],
  ["dev", "--help"],
  ["config", "show"],
  ["endpoint", "status", "ep1", "job1", "--base-url", `${origin}/v2`],
  ["pod", "list"],
];
const LABEL_WIDTH = 30;

const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(9);
const builds = other === undefined ? [cli] : [cli, other];
console.log(
  `${runs} runs, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
if (other !== undefined) console.log(`A: ${cli}\nB: ${other}`);

/** `runs` samples of each argument list, one of each per round. */
async function measure(argLists: readonly string[][]): Promise<Sample[][]> {
  const samples = argLists.map((): Sample[] => []);
  for (let round = 0; round < runs; round++) {
    // Alternate which build goes first, so neither always runs right after the other.
    const order = round % 2 === 0 ? [...argLists.keys()] : [...argLists.keys()].reverse();
    for (const i of order) samples[i]?.push(await runOnce(argLists[i] ?? [], env));
  }
  return samples;
}

const [baseline = []] = await measure([["-e", "0"]]);
console.log(
  `${"node -e 0".padEnd(LABEL_WIDTH)} wall ${ms(median(baseline.map((s) => s.wallMs)))}  cpu ${ms(median(baseline.map((s) => s.cpuMs)))}`,
);
let helpWall = 0;
for (const command of commands) {
  const samples = await measure(builds.map((file) => [file, ...command]));
  const label = command.join(" ").replace(` --base-url ${origin}/v2`, "");
  samples.forEach((list, i) => {
    const wall = median(list.map((s) => s.wallMs));
    const cpu = median(list.map((s) => s.cpuMs));
    if (i === 0 && command[0] === "--help") helpWall = wall;
    const name = other === undefined ? label : `${"AB"[i]} ${label}`;
    console.log(`${name.padEnd(LABEL_WIDTH)} wall ${ms(wall)}  cpu ${ms(cpu)}`);
  });
}
server.close();
rmSync(home, { recursive: true, force: true });
console.log(`load average after: ${loadavg()[0]?.toFixed(2)}`);
console.log(
  helpWall < TARGET_MS
    ? `ok: --help under the ${TARGET_MS} ms target`
    : `SLOW: --help over the ${TARGET_MS} ms target`,
);
process.exitCode = helpWall < TARGET_MS ? 0 : 1;
