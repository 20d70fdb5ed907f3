// The worker of `npm run bench:openai`: the built package's openaiHandler, streaming
// BENCH_TOKENS chat chunks, one every BENCH_INTERVAL_MS (a model generating on a timer).
import { setTimeout as sleep } from "node:timers/promises";
import { openaiHandler, serverless } from "runpod-ts/serverless";

const tokens = Number(process.env.BENCH_TOKENS ?? 64);
const interval = Number(process.env.BENCH_INTERVAL_MS ?? 10);

const chunk = (id, delta, finish) => ({
  id,
  object: "chat.completion.chunk",
  created: 0,
  model: "timer",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

serverless.start({
  handler: openaiHandler({
    "/v1/chat/completions": async function* (_body, ctx) {
      const id = `chatcmpl-${ctx.id}`;
      yield chunk(id, { role: "assistant", content: "" }, null);
      for (let i = 0; i < tokens; i++) {
        await sleep(interval);
        yield chunk(id, { content: ` t${i}` }, null);
      }
      yield chunk(id, {}, "stop");
    },
  }),
});
