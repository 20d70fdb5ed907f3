/** Runs the built CLI as a child process with a private HOME and a clean environment. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach } from "vitest";
import { type ProcessResult, runProcess, stopLiveProcesses } from "../helpers/run-process.js";

export const CLI = join(import.meta.dirname, "..", "..", "dist", "cli", "index.js");
/** The built `runpod-ts/serverless` entry as a file URL, for worker files the CLI tests write. */
export const SERVERLESS = pathToFileURL(
  join(import.meta.dirname, "..", "..", "dist", "serverless", "index.js"),
).href;

export type CliResult = ProcessResult;

// A CLI run still going when its test ends (it timed out) would send its requests during the next
// test, into that test's recorded requests and scripted answers: it ends with its test.
afterEach(stopLiveProcesses);

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
  return runProcess(process.execPath, [CLI, ...args], {
    env,
    cwd: options.cwd ?? options.home,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** A fresh temporary HOME; remove it with the returned function. */
export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), "runpod-ts-cli-"));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
