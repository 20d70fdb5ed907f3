/**
 * `runpod-ts/endpoint` on Node (the package's `node` export condition): the same surface as the
 * universal entry (`index.ts`), with an `Endpoint` whose default transport is undici instead of
 * `fetch`. A user-supplied `fetch` option still wins. Browsers, Deno, Bun, workerd and edge
 * runtimes get the universal entry.
 */
import { Endpoint as UniversalEndpoint } from "./endpoint.js";
import type { Requester } from "./requester.js";
import { undiciRequester } from "./undici-requester.js";

export * from "./index.js";

/** {@inheritDoc UniversalEndpoint} */
export class Endpoint<Input = unknown, Output = unknown> extends UniversalEndpoint<Input, Output> {
  protected static override defaultRequester(): Requester {
    return undiciRequester();
  }
}
