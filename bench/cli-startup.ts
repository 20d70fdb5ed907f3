/**
 * Start-up time of the built CLI: wall time of `node dist/cli/index.js --help`, median of N runs,
 * against `node -e 0` (Node's own start-up) as the baseline. Target: under 150 ms.
 *
 *   npm run bench:cli            (builds first)
 *   RUNS=50 npm run bench:cli
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const TARGET_MS = 150;
const runs = Number(process.env.RUNS ?? 21);
const cli = join(import.meta.dirname, "..", "dist", "cli", "index.js");
if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function time(args: string[]): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    samples.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}`);
  }
  return median(samples);
}

const baseline = time(["-e", "0"]);
const help = time([cli, "--help"]);
const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(`node -e 0                      ${ms(baseline)}  (median of ${runs})`);
console.log(`node dist/cli/index.js --help  ${ms(help)}  (+${ms(help - baseline)} over node)`);
console.log(
  help < TARGET_MS
    ? `ok: under the ${TARGET_MS} ms target`
    : `SLOW: over the ${TARGET_MS} ms target`,
);
process.exitCode = help < TARGET_MS ? 0 : 1;
