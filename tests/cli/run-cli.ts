/** Runs the built CLI as a child process with a private HOME and a clean environment. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CLI = join(import.meta.dirname, "..", "..", "dist", "cli", "index.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  home: string;
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; stdin is an empty pipe otherwise. */
  input?: string;
  cwd?: string;
}

export function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  // Only what the CLI needs: no inherited NO_COLOR, FORCE_COLOR or RUNPOD_API_KEY.
  const env = { PATH: process.env.PATH ?? "", HOME: options.home, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      cwd: options.cwd ?? options.home,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A fresh temporary HOME; remove it with the returned function. */
export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), "runpod-ts-cli-"));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
