/**
 * One-shot local test (§A.11.1): `--test_input '<json>'`, or `./test_input.json` when the
 * platform's env is absent. Runs the handler once without any HTTP and exits 0 (success) or 1
 * (failure), so it works in CI. Unlike Python, streaming handlers are iterated and their chunks
 * shown as the output list, and the result is printed as JSON.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { VERSION } from "../core/version.js";
import type { Job } from "../protocol/job.js";
import type { WorkerOptions } from "./config.js";
import { executeJob } from "./executor.js";
import { JobAbort } from "./job-abort.js";
import type { WorkerLog } from "./log.js";

export interface TestInputSource {
  /** The parsed `--test_input` flag, when given (takes precedence). */
  flag: unknown;
  /** Directory holding `test_input.json`. */
  cwd: string;
}

async function loadTestJob(source: TestInputSource, log: WorkerLog): Promise<unknown | undefined> {
  if (source.flag !== undefined) return source.flag;
  let text: string;
  try {
    text = await readFile(join(source.cwd, "test_input.json"), "utf8");
  } catch {
    log.warn("test_input.json not found, exiting.");
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    log.error(`test_input.json is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/** Runs the one job; resolves with the exit code. */
export async function runTestInput(
  options: WorkerOptions,
  source: TestInputSource,
  log: WorkerLog,
  env: { hostname: string; workerId: string },
): Promise<number> {
  const raw = await loadTestJob(source, log);
  if (raw === undefined) return 1;
  if (
    typeof raw !== "object" ||
    raw === null ||
    Array.isArray(raw) ||
    (raw as { input?: unknown }).input == null
  ) {
    log.error("Job has no input parameter. Unable to run.");
    return 1;
  }
  const job = { id: "local_test", ...(raw as object) } as Job;
  if (typeof job.id !== "string") job.id = String(job.id);
  log.info("Started.", job.id);
  // As the worker does: the handler may hold the thread, so what was logged leaves first.
  log.flush();
  const outcome = await executeJob(job, new JobAbort(), {
    options: { ...options, returnAggregateStream: true, refreshWorker: false },
    log,
    origin: { hostname: env.hostname, workerId: env.workerId, runpodVersion: VERSION },
    sendChunk: async () => {},
    sendProgress: async (jobId, json) => log.info(`Progress: ${json}`, jobId),
  });
  if (outcome.kind === "stopped") {
    log.error(`Job ${job.id} was stopped.`);
    return 1;
  }
  const result = JSON.parse(outcome.json) as { error?: unknown };
  if (result.error) {
    log.error(
      `Job ${job.id} failed with error: ${typeof result.error === "string" ? result.error : JSON.stringify(result.error)}`,
    );
    return 1;
  }
  log.info(`Job ${job.id} completed successfully.`);
  log.info(`Job result: ${outcome.json}`);
  log.info("Local testing complete, exiting.");
  return 0;
}
