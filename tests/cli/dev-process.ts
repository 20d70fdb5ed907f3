/** `runpod-ts dev` as a long-running child process whose output a test waits on, line by line. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { CLI } from "./run-cli.js";

export class DevProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  /** Where the next `waitFor` starts looking in stdout, so an earlier line cannot match again. */
  #cursor = 0;
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;

  constructor(
    args: readonly string[],
    options: { home: string; cwd: string; env?: Record<string, string> },
  ) {
    this.child = spawn(process.execPath, [CLI, "dev", ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: options.home, ...options.env },
    });
    const wake = () => {
      for (const w of [...this.#waiters]) w();
    };
    this.child.stdout.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
      wake();
    });
    this.child.stderr.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
      wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.on("close", (code) => {
        wake();
        resolve(code);
      }),
    );
  }

  /** The first match of `pattern` in stdout printed since the previous `waitFor`. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const rest = this.stdout.slice(this.#cursor);
        const match = pattern.exec(rest);
        if (match) {
          this.#waiters.delete(check);
          this.#cursor += match.index + match[0].length;
          resolve(match);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.#waiters.delete(check);
          reject(
            new Error(`dev exited before printing ${pattern}:\n${this.stdout}\n${this.stderr}`),
          );
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Stops it with SIGTERM and resolves its exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}
