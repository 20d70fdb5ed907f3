// Input validated with zod (any Standard Schema works): invalid input fails the job with the
// schema's messages and the handler is not called. `serverless.currentJob()` reaches the job's
// context from helper functions without passing it around.
//   npm run build && node examples/workers/validated.mjs --test_input '{"input": {"prompt": "hi", "steps": "3"}}'
import { serverless } from "runpod-ts/serverless";
import * as z from "zod";

const input = z.object({
  prompt: z.string().min(1),
  steps: z.coerce.number().int().min(1).max(50),
});

function render(prompt) {
  const job = serverless.currentJob();
  job?.log.debug(`rendering for ${job.id}`);
  return prompt.toUpperCase();
}

serverless.registerFitnessCheck(function enoughMemory() {
  if (process.memoryUsage().rss > 8 * 1024 ** 3) throw new Error("worker already uses over 8 GB");
});

serverless.start({
  inputSchema: input,
  handler: (_job, ctx) => ({ image: render(ctx.input.prompt), steps: ctx.input.steps }),
});
