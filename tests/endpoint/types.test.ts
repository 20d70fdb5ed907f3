/**
 * Typed usage, checked by `tsc --noEmit` (tsconfig includes tests/): a change that loosens or
 * breaks the client's generics fails the typecheck. The runtime test only constructs objects.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  Endpoint,
  type EndpointHealth,
  type HandlerEndpoint,
  type HandlerInput,
  type HandlerOutput,
  type JobHandle,
  type JobStatus,
  type JobStream,
  type PurgeQueueResponse,
} from "../../src/endpoint/index.js";

const handler = async (job: { input: { prompt: string } }) => ({ text: job.input.prompt });
async function* streaming(job: { input: { words: number } }) {
  for (let i = 0; i < job.input.words; i++) yield { token: `w${i}` };
}

describe("types", () => {
  it("types input and output end to end", () => {
    const ep = new Endpoint<HandlerInput<typeof handler>, HandlerOutput<typeof handler>>("ep", {
      apiKey: "k",
    });
    expectTypeOf(ep.run).parameter(0).toEqualTypeOf<{ prompt: string }>();
    expectTypeOf(ep.run).returns.toEqualTypeOf<Promise<JobHandle<{ text: string }>>>();
    expectTypeOf(ep.runSync).returns.toEqualTypeOf<Promise<{ text: string }>>();
    expectTypeOf(ep.health).returns.toEqualTypeOf<Promise<EndpointHealth>>();
    expectTypeOf(ep.purgeQueue).returns.toEqualTypeOf<Promise<PurgeQueueResponse>>();

    const job = Endpoint.job<{ text: string }>("ep", "job", { apiKey: "k" });
    expectTypeOf(job.output).returns.toEqualTypeOf<Promise<{ text: string }>>();
    expectTypeOf(job.status).returns.toEqualTypeOf<Promise<JobStatus<{ text: string }>>>();
    expectTypeOf(job.stream()).toEqualTypeOf<JobStream<{ text: string }>>();
    expectTypeOf(job.stream()).toExtend<AsyncIterable<{ text: string }>>();
    expectTypeOf(job.cancel).returns.toEqualTypeOf<Promise<JobStatus<{ text: string }>>>();

    // Wrong inputs and misspelt options do not compile.
    // @ts-expect-error the input is typed
    void (() => ep.run({ prompt: 1 }));
    // @ts-expect-error unknown option
    void (() => ep.run({ prompt: "p" }, { webhok: "https://x" }));
    // @ts-expect-error policy fields are typed
    void (() => ep.runSync({ prompt: "p" }, { policy: { ttl: "1h" } }));
    // @ts-expect-error output options are typed
    void (() => job.output({ timeoutMs: "5s" }));
  });

  it("HandlerEndpoint types a streaming handler's endpoint: chunks from stream(), their list from output()", async () => {
    const ep: HandlerEndpoint<typeof streaming> = new Endpoint("ep", { apiKey: "k" });
    expectTypeOf(ep.run).parameter(0).toEqualTypeOf<{ words: number }>();
    expectTypeOf(ep.runSync).returns.toEqualTypeOf<Promise<{ token: string }[]>>();
    type Job = Awaited<ReturnType<typeof ep.run>>;
    expectTypeOf<ReturnType<Job["output"]>>().toEqualTypeOf<Promise<{ token: string }[]>>();
    expectTypeOf<ReturnType<Job["stream"]>>().toEqualTypeOf<JobStream<{ token: string }>>();

    // A plain handler: output and stream both give its value.
    const plain: HandlerEndpoint<typeof handler> = new Endpoint("ep", { apiKey: "k" });
    expectTypeOf(plain.runSync).returns.toEqualTypeOf<Promise<{ text: string }>>();
    expectTypeOf(plain.run).returns.toEqualTypeOf<
      Promise<JobHandle<{ text: string }, { text: string }>>
    >();
  });

  it("defaults to unknown", () => {
    const ep = new Endpoint("ep", { apiKey: "k" });
    expectTypeOf(ep.runSync).returns.toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(ep.run).parameter(0).toEqualTypeOf<unknown>();
  });
});
