/** Runs a production worker in the test process against a fake platform, capturing its log lines. */
import { WorkerLog, type WorkerLogLevel } from "../../src/serverless/log.js";
import type { StartOptions } from "../../src/serverless/types.js";
import { createWorker, type ProductionWorker } from "../../src/serverless/worker.js";
import type { FakePlatform } from "./fake-platform.js";

export interface RunningWorker {
  worker: ProductionWorker;
  /** Resolves with the exit code once the worker stopped. */
  done: Promise<number>;
  logs: string[];
  /** Shuts down and waits for the exit code. */
  stop(): Promise<number>;
}

export function runWorker<I, R>(
  fake: FakePlatform,
  options: StartOptions<I, R>,
  env: Record<string, string> = {},
  level: WorkerLogLevel = "DEBUG",
): RunningWorker {
  const logs: string[] = [];
  const log = new WorkerLog(level, false, { write: (line) => logs.push(line.trimEnd()) });
  const worker = createWorker(options, { env: fake.env(env), log, fitnessChecks: false });
  const done = worker.run();
  return {
    worker,
    done,
    logs,
    stop() {
      worker.shutdown("test finished");
      return done;
    },
  };
}
