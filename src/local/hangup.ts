import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";
import type { CallSignal } from "../protocol/worker-link.js";

/**
 * "The client went away": what a held request listens to so it stops waiting. An `AbortSignal`
 * fits this shape; on Node we build it from the response's `close` event instead, because reading
 * `Request.signal` makes @hono/node-server materialise a full Request (and an AbortController) for
 * every request, which costs more than the rest of a short request. The in-process worker link
 * passes its caller's own signal.
 */
export type Hangup = CallSignal;

interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export function hangupOf(c: Context): Hangup {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  if (!outgoing) return c.req.raw.signal; // app.request() and other non-Node adapters
  return {
    // `close` before the answer was written means the connection dropped.
    get aborted() {
      return outgoing.destroyed && !outgoing.writableFinished;
    },
    addEventListener: (_type, listener) => outgoing.once("close", listener),
    removeEventListener: (_type, listener) => outgoing.off("close", listener),
  };
}

/** The Node request, when running on @hono/node-server, for reading bodies without web streams. */
export function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as NodeBindings | undefined)?.incoming;
}

/**
 * A request header (name in lower case), from the Node request when there is one: `c.req.header()`
 * makes @hono/node-server build a web `Headers` for the request, a cost the middleware in front of
 * every route would otherwise add to each request. Repeated values are joined as `Headers` joins them.
 */
export function headerOf(c: Context, name: Lowercase<string>): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
