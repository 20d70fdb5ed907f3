/**
 * Runs a worker fixture in a child process and watches its output and exit: the fixture's bundle
 * (`fixtures-build.ts`) under plain node, or the file itself under `node --import tsx`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleOf } from "./fixture-bundles.js";

export interface WorkerProcess {
  child: ChildProcess;
  /** Every stdout and stderr line so far. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first output line matching `pattern` (already printed or future). */
  waitForLine(pattern: RegExp): Promise<string>;
  kill(): void;
}

const root = resolve(import.meta.dirname, "../..");

export function spawnWorker(
  fixture: string,
  env: Record<string, string>,
  args: string[] = [],
  cwd = root,
  { stderrToStdout = false }: { stderrToStdout?: boolean } = {},
): WorkerProcess {
  const source = resolve(root, "tests/serverless/fixtures", fixture);
  const bundle = bundleOf(source);
  const nodeArgs = bundle
    ? ["--enable-source-maps", bundle, ...args]
    : [
        // By path, so fixtures also run from other working directories (test_input.json tests).
        "--import",
        pathToFileURL(resolve(root, "node_modules/tsx/dist/loader.mjs")).href,
        "--import",
        pathToFileURL(resolve(root, "tests/helpers/define-version.mjs")).href,
        source,
        ...args,
      ];
  // Both streams on one pipe, as in a terminal: the order of lines across them is then observable.
  const child = spawn(
    stderrToStdout ? "sh" : process.execPath,
    stderrToStdout ? ["-c", 'exec "$0" "$@" 2>&1', process.execPath, ...nodeArgs] : nodeArgs,
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? "",
        // The built-in fitness checks (memory, disk, 8.8.8.8:53...) judge the test machine, not
        // the worker; tests/serverless/fitness-builtins.test.ts turns them on where it means to.
        RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true",
        RUNPOD_SKIP_GPU_CHECK: "true",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  let waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  const onData = (buffered: { rest: string }) => (chunk: Buffer) => {
    const text = buffered.rest + chunk.toString("utf8");
    const parts = text.split("\n");
    buffered.rest = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      const matched = waiters.filter((w) => w.pattern.test(line));
      waiters = waiters.filter((w) => !matched.includes(w));
      for (const w of matched) w.resolve(line);
    }
  };
  child.stdout?.on("data", onData({ rest: "" }));
  child.stderr?.on("data", onData({ rest: "" }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on("exit", (code, signal) => res({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitForLine(pattern) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
