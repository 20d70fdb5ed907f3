/** `src/handler.ts` of the streaming template: an async generator yields chunks as they are made. */
export const streamingHandler = `import { serverless } from "runpod-ts/serverless";

interface Input {
  prompt: string;
}

/** Jobs come from anyone who can call the endpoint: check the input before using it. */
function parseInput(input: unknown): Input {
  const { prompt } = (input ?? {}) as Record<string, unknown>;
  if (typeof prompt !== "string" || prompt === "") {
    throw new Error('input.prompt must be a non-empty string, e.g. {"prompt": "hello"}');
  }
  return { prompt };
}

serverless.start({
  // Each yielded value is one chunk on the endpoint's /stream. ctx.signal aborts when the job is
  // cancelled or times out: stop generating when it does.
  handler: async function* (job, ctx) {
    const { prompt } = parseInput(job.input);
    // Replace this with your model's token stream.
    for (const word of prompt.split(/\\s+/)) {
      ctx.signal.throwIfAborted();
      yield { token: word };
    }
  },
  // /run and /runsync then return every chunk as one list, so non-streaming callers get it all.
  returnAggregateStream: true,
});
`;
