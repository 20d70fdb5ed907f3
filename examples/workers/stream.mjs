// A streaming worker: an async generator whose chunks reach `/stream` as they are produced, with
// progress updates, cancellation through ctx.signal, and the aggregate as the final output.
//   npm run build && node examples/workers/stream.mjs --test_input '{"input": {"words": 4}}'
import { setTimeout as sleep } from "node:timers/promises";
import { serverless } from "runpod-ts/serverless";

serverless.start({
  returnAggregateStream: true,
  concurrency: 4,
  timeoutMs: 60_000,
  async *handler(job, ctx) {
    const words = Number(job.input?.words ?? 3);
    let sent = 0;
    try {
      for (let i = 0; i < words; i++) {
        // Stops early when the platform cancels the job, it times out, or the worker shuts down.
        await sleep(50, undefined, { signal: ctx.signal });
        await ctx.progress({ done: i + 1, of: words });
        yield { index: i, word: `word-${i}` };
        sent++;
      }
    } finally {
      // Reached on an abort too: the sleep throws, or the runtime closes the generator at a yield.
      const end = ctx.signal.aborted
        ? `aborted (${ctx.signal.reason.abortCause}) after`
        : "streamed";
      ctx.log.info(`${end} ${sent} of ${words} words`);
    }
  },
});
