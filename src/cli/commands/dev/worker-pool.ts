import { type ChildProcess, spawn } from "node:child_process";
import type { WritableLike } from "../../output/output.js";
import { pipeLabelled } from "./labelled.js";
import type { WorkerCommand } from "./worker-command.js";

/** How long a worker gets to finish its jobs after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

export interface WorkerPoolOptions {
  command: WorkerCommand;
  count: number;
  /** The environment of worker `index` (0-based): the platform's variables with its own pod id. */
  env: (index: number) => NodeJS.ProcessEnv;
  stdout: WritableLike;
  stderr: WritableLike;
  /** The label of worker `index`'s lines. */
  label: (index: number) => string;
  /** A line of our own about the workers. */
  note: (text: string) => void;
  /**
   * Stops handing jobs to worker `index` before it is stopped, so that it does not wait out its
   * job-take's long poll; returns what ends that once it exited (`LocalPlatform.drainWorker`).
   */
  drain: (index: number) => () => void;
}

/** The worker child processes of `runpod-ts dev`: started together, stopped and restarted together. */
export class WorkerPool {
  readonly #o: WorkerPoolOptions;
  /** Each running child, with its index. */
  readonly #children = new Map<ChildProcess, number>();
  readonly #stopping = new WeakSet<ChildProcess>();
  /** `stop()` was called: dev is ending, so a restart under way starts no workers after it. */
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#o = options;
  }

  start(): void {
    for (let i = 0; i < this.#o.count; i++) this.#spawn(i);
  }

  #spawn(index: number): void {
    const { command } = this.#o;
    const child = spawn(command.command, command.args, {
      env: this.#o.env(index),
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#children.set(child, index);
    const label = this.#o.label(index);
    pipeLabelled(child.stdout, this.#o.stdout, label);
    pipeLabelled(child.stderr, this.#o.stderr, label);
    child.on("error", (error) => this.#o.note(`${label} could not start: ${error.message}`));
    child.on("exit", (code, signal) => {
      this.#children.delete(child);
      if (this.#stopping.has(child)) return;
      if (this.#closed) return;
      if (code === 0) {
        // A worker ends by itself after a job with refreshWorker; the platform would start a
        // fresh one, so we do too. A crash waits for a file change instead of looping.
        this.#o.note(`${label} exited after its work (refreshWorker); starting a fresh one`);
        this.#spawn(index);
        return;
      }
      const how = signal === null ? `with code ${code}` : `on ${signal}`;
      this.#o.note(`${label} exited ${how}; it restarts when a file changes`);
    });
  }

  /**
   * SIGTERM to every worker (they finish or hand back their jobs), SIGKILL after the grace; no
   * worker starts after it, not even one of a restart still waiting for the old ones to exit.
   */
  async stop(): Promise<void> {
    this.#closed = true;
    await this.#stopAll();
  }

  #stopAll(): Promise<unknown> {
    return Promise.all([...this.#children].map(([child, index]) => this.#stopOne(child, index)));
  }

  #stopOne(child: ChildProcess, index: number): Promise<void> {
    this.#stopping.add(child);
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      let undrain = () => {};
      child.once("exit", () => {
        clearTimeout(kill);
        undrain();
        resolve();
      });
      child.kill("SIGTERM");
      undrain = this.#o.drain(index);
    });
  }

  async restart(): Promise<void> {
    await this.#stopAll();
    if (!this.#closed) this.start();
  }
}
