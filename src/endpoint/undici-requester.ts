/**
 * The endpoint client's Node transport: undici's `Agent.dispatch` on one keep-alive agent per
 * process (src/internal/undici-dispatch.ts). Against a loopback server it runs `run` + `status`
 * cycles several times faster than Node's `fetch`, which wraps the same undici in WHATWG streams
 * and header objects (`npm run bench:endpoint`). undici loads on the first request, not at import.
 * Node only: imported by `node.ts`, never by the universal entry.
 */
import type { Agent } from "undici";
import { AbortError, ConnectionError, RequestTimeoutError } from "../core/api-errors.js";
import type { AbortLike } from "../internal/abort-like.js";
import { loadAgentClass } from "../internal/undici-agent.js";
import { type DispatchResponse, dispatchText, firstValue } from "../internal/undici-dispatch.js";
import { describe, fetchRequester, globalFetch, type Requester } from "./requester.js";

let agent: Agent | undefined;
let agentReady: Promise<Agent> | undefined;

function sharedAgent(): Promise<Agent> {
  agentReady ??= loadAgentClass().then(({ Agent }) => {
    agent = new Agent({ keepAliveTimeout: 30_000, connections: null });
    return agent;
  });
  return agentReady;
}

/**
 * Trips when the caller's signal aborts or the exchange's time limit runs out, whichever comes
 * first; lighter than an `AbortController` plus `AbortSignal.any`.
 */
class Deadline implements AbortLike {
  aborted = false;
  timedOut = false;
  #listener: (() => void) | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onSignal = () => this.#trip(false);

  constructor(
    timeoutMs: number,
    readonly signal: AbortSignal | undefined,
  ) {
    this.#timer = setTimeout(() => this.#trip(true), timeoutMs);
    if (signal?.aborted) this.aborted = true;
    else signal?.addEventListener("abort", this.#onSignal, { once: true });
  }

  #trip(timedOut: boolean): void {
    if (this.aborted) return;
    this.aborted = true;
    this.timedOut = timedOut;
    this.#listener?.();
  }

  addEventListener(_type: "abort", listener: () => void): void {
    this.#listener = listener;
  }

  removeEventListener(): void {
    this.#listener = undefined;
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.signal?.removeEventListener("abort", this.#onSignal);
  }
}

const TRIPPED = new Error("aborted by the request's deadline or signal");
const tripped = () => TRIPPED;

/** The response headers with one value per name (failure paths only). */
function headersOf(headers: DispatchResponse["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = firstValue(value);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The Node requester; on Bun and Deno (which also load Node builds) their own `fetch` is used. */
export function undiciRequester(): Requester {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined || g.Deno !== undefined) return fetchRequester(globalFetch);
  return async (request) => {
    const a = agent ?? (await sharedAgent());
    const { what, timeoutMs } = request;
    const deadline = new Deadline(timeoutMs, request.signal);
    try {
      const res = await dispatchText(a, {
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: deadline,
        abortReason: tripped,
        // The deadline bounds the exchange; undici's own idle limits only as a backstop.
        headersTimeoutMs: 0,
        bodyTimeoutMs: 0,
      });
      return {
        status: res.status,
        ok: res.status >= 200 && res.status < 300,
        text: res.text,
        headers: () => headersOf(res.headers),
      };
    } catch (error) {
      if (deadline.timedOut) {
        throw new RequestTimeoutError(`${what} timed out after ${timeoutMs} ms`, error);
      }
      if (deadline.aborted) throw new AbortError(`${what} was aborted`, { cause: error });
      throw new ConnectionError(`${what} failed: ${describe(error)}`, error);
    } finally {
      deadline.clear();
    }
  };
}
