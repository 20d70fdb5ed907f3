/**
 * `runpod-ts dev`'s worker processes (WorkerPool), with real child processes: a stop that comes
 * while a restart still waits for the old workers to finish must leave no worker running, since
 * dev closes the platform right after it and a worker started then would outlive dev.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { WorkerPool } from "../../src/cli/commands/dev/worker-pool.js";

const dirs: string[] = [];
const pools: WorkerPool[] = [];
afterEach(async () => {
  // Whatever a failed test left running.
  await Promise.all(pools.splice(0).map((p) => p.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A worker that, on SIGTERM, finishes only once `gate` exists (a job still running). */
const WORKER = `
const { existsSync } = require("node:fs");
process.on("SIGTERM", () => {
  console.log("term");
  setInterval(() => existsSync(process.env.GATE) && process.exit(0), 10);
});
setInterval(() => {}, 1 << 30);
// Last: the test signals the worker as soon as it reads this line.
console.log("ready");
`;

function pool(gate: string) {
  const lines: string[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  let started = 0;
  const out = {
    write(text: string) {
      lines.push(...text.split("\n").filter(Boolean));
      for (const w of waiters.filter((w) => lines.some((l) => l.endsWith(w.text)))) w.resolve();
      return true;
    },
  };
  const workers = new WorkerPool({
    command: { file: "worker.js", command: process.execPath, args: ["-e", WORKER] },
    count: 1,
    env: () => {
      started++;
      return { PATH: process.env.PATH ?? "", GATE: gate };
    },
    stdout: out,
    stderr: out,
    label: () => "[worker] ",
    note: (text) => out.write(`[dev] ${text}\n`),
    drain: () => () => {},
  });
  pools.push(workers);
  return {
    workers,
    lines,
    started: () => started,
    printed: (text: string) =>
      lines.some((l) => l.endsWith(text))
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ text, resolve })),
  };
}

it("starts no worker after a stop that came while a restart waited for the old one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "runpod-dev-pool-"));
  dirs.push(dir);
  const gate = join(dir, "gate");
  const p = pool(gate);
  p.workers.start();
  await p.printed("ready");

  const restarted = p.workers.restart();
  await p.printed("term");
  // Ctrl-C now: dev stops the pool while the restart still waits for the old worker's job.
  const stopped = p.workers.stop();
  writeFileSync(gate, "");
  await Promise.all([restarted, stopped]);

  expect(p.started()).toBe(1);
  expect(p.lines.filter((l) => l.endsWith("ready"))).toHaveLength(1);
});

it("a restart alone starts the workers again", async () => {
  const dir = mkdtempSync(join(tmpdir(), "runpod-dev-pool-"));
  dirs.push(dir);
  const gate = join(dir, "gate");
  writeFileSync(gate, "");
  const p = pool(gate);
  p.workers.start();
  await p.printed("ready");
  await p.workers.restart();
  expect(p.started()).toBe(2);
});
