// The SDK side of the bench: the built package, a no-op or 10 ms async handler.
import { setTimeout as sleep } from "node:timers/promises";
import { serverless } from "runpod-ts/serverless";

const sleepMs = Number(process.env.BENCH_SLEEP_MS ?? 0);
serverless.start({
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 1),
  handler:
    sleepMs > 0
      ? async () => {
          await sleep(sleepMs);
          return 1;
        }
      : () => 1,
});
