/**
 * `serverless.start()`: mode selection (§A.0) and everything that touches the process (signals,
 * exit codes, stray errors). The worker itself (`createWorker`) does not.
 */
import { ValidationError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { type Env, readWorkerEnv, resolveOptions } from "./config.js";
import { parseWorkerFlags, type WorkerFlags } from "./flags.js";
import { claimProcess, keepAliveOnStrayErrors } from "./process-owner.js";
import { shutdownOnSignals } from "./shutdown-signals.js";
import type { StartOptions } from "./types.js";
import { createWorker, workerLog } from "./worker.js";

export type WorkerMode = "serve-api" | "test-input" | "production";

/** First match wins: `--rp_serve_api`, then a test input or no platform env, else production. */
export function selectMode(flags: WorkerFlags, env: Env): WorkerMode {
  if (flags.serveApi) return "serve-api";
  if (flags.testInput !== undefined || !env.RUNPOD_WEBHOOK_GET_JOB) return "test-input";
  return "production";
}

/**
 * The worker's flags. A bad one is the command line's fault, not the code's: one line saying
 * which and why, and exit 1, as the CLI does (no stack, no issue list).
 */
function commandLineFlags(argv: readonly string[]): WorkerFlags {
  try {
    return parseWorkerFlags(argv);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return process.exit(1);
  }
}

/**
 * Starts the worker: validates the options (throws `ValidationError` naming the bad option), then
 * runs the mode the command line and environment select. In production and test modes the process
 * exits when the worker is done: 0 on success, 1 on failure.
 */
export function start<Input, Result>(options: StartOptions<Input, Result>): Promise<void> {
  const env: Env = process.env;
  const argv = process.argv.slice(2);
  const resolved = resolveOptions(options, env);
  claimProcess("serverless.start()");
  const flags = commandLineFlags(argv);
  const log = workerLog(env, argv);
  process.stdout.write(`--- Starting Serverless Worker |  Version ${VERSION} ---\n`);
  if (flags.logLevel !== undefined) log.info(`Log level set to ${flags.logLevel.toUpperCase()}`);
  const mode = selectMode(flags, env);
  keepAliveOnStrayErrors(log);
  if (mode === "serve-api") {
    // Loaded on demand: serve-api imports the local platform, which no production worker needs.
    return import("./serve-api.js")
      .then(({ serveApi }) =>
        serveApi(options as StartOptions<unknown, unknown>, flags, env, argv, log),
      )
      .then(
        (code) => process.exit(code),
        (error: unknown) => {
          log.error(`Local platform failed: ${(error as Error)?.message ?? String(error)}`);
          process.exit(1);
        },
      );
  }
  if (mode === "test-input") {
    const { hostname, reportedWorkerId } = readWorkerEnv(env);
    // Loaded on demand too: a production worker needs neither it nor node:fs/promises.
    return import("./test-input.js")
      .then(({ runTestInput }) =>
        runTestInput(resolved, { flag: flags.testInput, cwd: process.cwd() }, log, {
          hostname,
          workerId: reportedWorkerId,
        }),
      )
      .then((code) => {
        process.exit(code);
      });
  }
  const worker = createWorker(options, { env, argv, log });
  shutdownOnSignals(worker, log);
  return worker.run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      log.error(`Worker failed: ${(error as Error)?.message ?? String(error)}`);
      process.exit(1);
    },
  );
}
