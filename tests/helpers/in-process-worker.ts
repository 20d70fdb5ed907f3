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
  /** Resolves once every line in `lines` was logged (waits on log writes, not on time). */
  logged(...lines: string[]): Promise<void>;
  /** Shuts down, has the fake answer the held job-take (no job), and waits for the exit code. */
  stop(): Promise<number>;
}

export function runWorker<I, R>(
  fake: FakePlatform,
  options: StartOptions<I, R>,
  env: Record<string, string> = {},
  level: WorkerLogLevel = "DEBUG",
): RunningWorker {
  const logs: string[] = [];
  let written: Array<() => void> = [];
  const log = new WorkerLog(level, false, {
    write: (line) => {
      logs.push(line.trimEnd());
      const waiters = written;
      written = [];
      for (const w of waiters) w();
    },
  });
  const worker = createWorker(options, { env: fake.env(env), log, fitnessChecks: false });
  const done = worker.run();
  return {
    worker,
    done,
    logs,
    async logged(...lines) {
      while (!lines.every((l) => logs.includes(l))) {
        await new Promise<void>((r) => written.push(r));
      }
    },
    async stop() {
      worker.shutdown("test finished");
      // The worker waits for its take in flight: the fake answers it now rather than after its hold.
      await fake.release();
      return done;
    },
  };
}
