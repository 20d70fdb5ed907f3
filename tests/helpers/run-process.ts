/** Runs a command to completion and collects its output: the one spawn-and-wait of the tests. */
import { type ChildProcess, spawn } from "node:child_process";

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; stdin is an empty pipe otherwise. */
  input?: string;
}

/** Children started by `runProcess` that have not closed yet. */
const live = new Set<ChildProcess>();

/**
 * Kills every child `runProcess` started that is still running and waits for each to close: a test
 * that timed out must not leave its child talking to the next test's servers.
 */
export async function stopLiveProcesses(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("close", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    live.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", (error) => {
      live.delete(child);
      reject(error);
    });
    child.on("close", (code) => {
      live.delete(child);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
