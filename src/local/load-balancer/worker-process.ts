import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { LB_ENV, LB_HOST_ENV } from "../../protocol/load-balancing.js";
import type { WorkerOutput } from "./options.js";

export interface WorkerSpawn {
  id: string;
  command: readonly string[];
  cwd: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  port: number;
  healthPort: number;
  healthPath: string;
  output: WorkerOutput;
}

/**
 * One worker's process, started as production starts a container: `PORT`, `PORT_HEALTH` and
 * `HEALTH_CHECK_PATH` in its environment (§2.1), plus `RUNPOD_POD_ID` = its worker id. It leads a
 * process group of its own, so a stop reaches what it started (`npx`, `sh -c`, tsx) and nothing
 * is left behind; the platform's own signals (Ctrl-C) do not reach it, its stop is ours to send.
 */
export class WorkerProcess {
  readonly #child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #done = false;

  constructor(s: WorkerSpawn) {
    const [program, ...args] = s.command as [string, ...string[]];
    this.#child = spawn(program, args, {
      cwd: s.cwd,
      env: {
        // The built-in fitness checks judge a platform machine (8.8.8.8 reachable, 4 GB free...),
        // not this one; the environment may turn them back on with "false".
        RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true",
        RUNPOD_SKIP_GPU_CHECK: "true",
        ...s.env,
        [LB_ENV.port]: String(s.port),
        [LB_ENV.healthPort]: String(s.healthPort),
        [LB_ENV.healthPath]: s.healthPath,
        RUNPOD_POD_ID: s.id,
        // serve() would bind 0.0.0.0 with RUNPOD_POD_ID set; on this machine it stays on loopback.
        [LB_HOST_ENV]: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
    });
    for (const stream of ["stdout", "stderr"] as const) {
      createInterface({ input: this.#child[stream] as NonNullable<ChildProcess["stdout"]> }).on(
        "line",
        (line) => s.output(line, s.id, stream),
      );
    }
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#done = true;
        // Whatever the leader started and left running goes with it.
        this.#signalGroup("SIGKILL");
        resolve({ code, signal });
      });
      this.#child.once("error", (error) => {
        this.#done = true;
        s.output(`could not start ${program}: ${error.message}`, s.id, "stderr");
        resolve({ code: null, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** SIGTERM (the worker drains), then SIGKILL after `graceMs`; resolves when it has exited. */
  async stop(graceMs: number): Promise<void> {
    if (this.#done) return;
    this.#signalGroup("SIGTERM");
    const kill = setTimeout(() => this.#signalGroup("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(kill);
  }

  /** Immediate SIGKILL of the group, for the exit of this process (no time to wait). */
  killNow(): void {
    this.#signalGroup("SIGKILL");
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === "win32") this.#child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // Already gone (ESRCH): nothing left to stop.
    }
  }
}
