/** `src/handler.ts` of the basic template: one input in, one result out. */
export const basicHandler = `import { serverless } from "runpod-ts/serverless";

interface Input {
  prompt: string;
  steps?: number;
}

/** Jobs come from anyone who can call the endpoint: check the input before using it. */
function parseInput(input: unknown): Input {
  const { prompt, steps } = (input ?? {}) as Record<string, unknown>;
  if (typeof prompt !== "string" || prompt === "") {
    throw new Error('input.prompt must be a non-empty string, e.g. {"prompt": "hello"}');
  }
  if (steps !== undefined && (typeof steps !== "number" || !Number.isInteger(steps) || steps < 1)) {
    throw new Error("input.steps must be a positive integer");
  }
  return { prompt, steps: steps as number | undefined };
}

serverless.start({
  // Called once per job. ctx.progress reports status to the caller while the job runs;
  // ctx.signal aborts when the job is cancelled or times out, so stop work when it does.
  handler: async (job, ctx) => {
    const { prompt, steps = 3 } = parseInput(job.input);
    for (let step = 1; step <= steps; step++) {
      ctx.signal.throwIfAborted();
      // Replace this loop with your model: load it once at module level, run it here.
      await ctx.progress({ step, of: steps });
    }
    return { output: prompt.toUpperCase(), steps };
  },
});
`;
