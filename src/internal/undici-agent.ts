/**
 * undici's `Agent` class, loaded from its own module. The worker uses only `Agent#dispatch`, and
 * undici's main entry also loads fetch, WebSocket, EventSource, caches and mocks: about 8 MB more
 * RSS and 70 ms more cold start per worker process, for code a worker never runs. undici has no
 * `exports` map, so the file is reachable, but its path is not part of undici's documented API:
 * if it cannot be loaded, the main entry is used instead. `tests/serverless/http.test.ts` checks
 * that the lean path loads with the undici version we depend on. Both imports are literal, so
 * bundlers that bundle a worker still find them.
 */
import type { Agent } from "undici";

export type AgentClass = typeof Agent;

let loading: Promise<{ Agent: AgentClass; lean: boolean }> | undefined;

function isAgentClass(value: unknown): value is AgentClass {
  return (
    typeof value === "function" &&
    typeof (value as { prototype?: { dispatch?: unknown } }).prototype?.dispatch === "function"
  );
}

/** Loads the class once per process; `lean` says whether the lean path was used. */
export function loadAgentClass(): Promise<{ Agent: AgentClass; lean: boolean }> {
  loading ??= import("undici/lib/dispatcher/agent.js")
    .then((module) => {
      const candidate = (module as { default?: unknown }).default ?? module;
      if (!isAgentClass(candidate)) throw new TypeError("not undici's Agent");
      return { Agent: candidate, lean: true };
    })
    .catch(async () => ({ Agent: (await import("undici")).Agent, lean: false }));
  return loading;
}
