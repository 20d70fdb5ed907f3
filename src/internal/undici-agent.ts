/**
 * undici's `Agent` class, loaded from its own module. The worker uses only `Agent#dispatch`, and
 * undici's main entry also loads fetch, WebSocket, EventSource, caches and mocks: about 8 MB more
 * RSS and 70 ms more cold start per worker process, for code a worker never runs. undici has no
 * `exports` map, so the file is reachable, but its path is not part of undici's documented API:
 * if it cannot be loaded, the main entry is used instead. `tests/serverless/http.test.ts` checks
 * that the lean path loads with the undici version we depend on. Both imports are literal, so
 * bundlers that bundle a worker still find them.
 */
import type { Agent, buildConnector } from "undici";
import { PacedDispatcher } from "./paced-dispatcher.js";

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

type ConnectorBuilder = typeof buildConnector;

let loadingConnector: Promise<ConnectorBuilder> | undefined;

function isFunction(value: unknown): value is ConnectorBuilder {
  return typeof value === "function";
}

/** undici's `buildConnector`, from its own module (the Agent loads it anyway), else the main entry. */
function loadConnectorBuilder(): Promise<ConnectorBuilder> {
  loadingConnector ??= import("undici/lib/core/connect.js")
    .then((module) => {
      const candidate = (module as { default?: unknown }).default ?? module;
      if (!isFunction(candidate)) throw new TypeError("not undici's buildConnector");
      return candidate;
    })
    .catch(async () => (await import("undici")).buildConnector);
  return loadingConnector;
}

export interface AgentOptions {
  /** Most sockets kept per origin (`null`: no bound); a burst beyond them queues on open ones. */
  connections: number | null;
  /**
   * Most sockets connecting or not yet answered on at once (so at most that many of ours wait in
   * the server's accept queue), and most requests in flight beyond the answered sockets (see
   * paced-dispatcher.ts).
   */
  newSockets: number;
}

/**
 * A keep-alive agent with bounded sockets per origin, behind a dispatcher that opens new sockets
 * only a few at a time, as the server answers on them.
 */
export async function createAgent(options: AgentOptions): Promise<PacedDispatcher> {
  const [{ Agent }, buildConnector] = await Promise.all([loadAgentClass(), loadConnectorBuilder()]);
  return new PacedDispatcher(
    options.newSockets,
    (track) =>
      new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connections: options.connections,
        connect: track(buildConnector({ timeout: 10_000 })),
      }),
  );
}
