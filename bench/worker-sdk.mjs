// The SDK side of the bench: the built package, a no-op or 10 ms async handler.
import { setTimeout as sleep } from "node:timers/promises";
import { serverless } from "runpod-ts/serverless";

// Memory runs start Node with --expose-gc: SIGUSR2 collects garbage, then says so on stderr, so
// the bench reads RSS and the live heap for retained memory rather than for garbage not yet collected.
if (typeof globalThis.gc === "function") {
  process.on("SIGUSR2", () => {
    globalThis.gc();
    process.stderr.write(`gc done ${process.memoryUsage().heapUsed}\n`);
  });
}

// The output is the handler's end time, so the fake platform can time job end → job-done.
const ended = () => Date.now();
const sleepMs = Number(process.env.BENCH_SLEEP_MS ?? 0);
serverless.start({
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 1),
  handler:
    sleepMs > 0
      ? async () => {
          await sleep(sleepMs);
          return ended();
        }
      : ended,
});
