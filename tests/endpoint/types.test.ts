/**
 * Typed usage, checked by `tsc --noEmit` (tsconfig includes tests/): a change that loosens or
 * breaks the client's generics fails the typecheck. The runtime test only constructs objects.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  Endpoint,
  type EndpointHealth,
  type JobHandle,
  type JobStatus,
  type JobStream,
  type PurgeQueueResponse,
} from "../../src/endpoint/index.js";

// Stand-ins for the worker's `HandlerInput<typeof handler>` / `HandlerOutput<typeof handler>`.
type HandlerInput<H> = H extends (job: { input: infer I }) => unknown ? I : never;
type HandlerOutput<H> = H extends (...args: never[]) => infer R ? Awaited<R> : never;
const handler = async (job: { input: { prompt: string } }) => ({ text: job.input.prompt });

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

  it("defaults to unknown", () => {
    const ep = new Endpoint("ep", { apiKey: "k" });
    expectTypeOf(ep.runSync).returns.toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(ep.run).parameter(0).toEqualTypeOf<unknown>();
  });
});
