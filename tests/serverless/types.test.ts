/** The handler type helpers the endpoint client reuses. */
import { describe, expectTypeOf, it } from "vitest";
import type {
  HandlerChunk,
  HandlerInput,
  HandlerOutput,
  Job,
  JobContext,
} from "../../src/serverless/index.js";

describe("HandlerInput / HandlerOutput", () => {
  it("infer input and output of every handler kind", () => {
    const asyncFn = async (job: Job<{ prompt: string }>) => ({ text: job.input.prompt });
    const syncFn = (job: Job<number>, _ctx: JobContext<number>) => job.input * 2;
    async function* asyncGen(_job: Job<{ n: number }>) {
      yield { token: "a" };
    }
    function* syncGen(_job: Job<string>) {
      yield 1;
    }
    const returnsArray = (_job: Job<null>) => [1, 2, 3];
    expectTypeOf<HandlerInput<typeof asyncFn>>().toEqualTypeOf<{ prompt: string }>();
    expectTypeOf<HandlerOutput<typeof asyncFn>>().toEqualTypeOf<{ text: string }>();
    expectTypeOf<HandlerInput<typeof syncFn>>().toEqualTypeOf<number>();
    expectTypeOf<HandlerOutput<typeof syncFn>>().toEqualTypeOf<number>();
    expectTypeOf<HandlerInput<typeof asyncGen>>().toEqualTypeOf<{ n: number }>();
    // A streaming handler's job resolves to the list of its chunks; stream() yields one each.
    expectTypeOf<HandlerOutput<typeof asyncGen>>().toEqualTypeOf<{ token: string }[]>();
    expectTypeOf<HandlerChunk<typeof asyncGen>>().toEqualTypeOf<{ token: string }>();
    expectTypeOf<HandlerOutput<typeof syncGen>>().toEqualTypeOf<number[]>();
    expectTypeOf<HandlerChunk<typeof syncGen>>().toEqualTypeOf<number>();
    // Arrays and strings are values, not streams.
    expectTypeOf<HandlerOutput<typeof returnsArray>>().toEqualTypeOf<number[]>();
    expectTypeOf<HandlerChunk<typeof returnsArray>>().toEqualTypeOf<number[]>();
    expectTypeOf<HandlerChunk<typeof asyncFn>>().toEqualTypeOf<{ text: string }>();
  });
});
