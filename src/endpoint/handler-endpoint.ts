import type { HandlerChunk, HandlerInput, HandlerOutput } from "../protocol/handler-types.js";
import type { Endpoint } from "./endpoint.js";

/**
 * The `Endpoint` of a worker's handler: `const ep: HandlerEndpoint<typeof handler> = new
 * Endpoint(id)`. `run` takes the handler's input; `output()` and `runSync()` give what it returns,
 * or for a streaming handler the list of its chunks; `stream()` yields one chunk at a time.
 */
export type HandlerEndpoint<H> = Endpoint<HandlerInput<H>, HandlerOutput<H>, HandlerChunk<H>>;
