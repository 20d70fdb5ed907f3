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
   * Most connection attempts under way at once. A server's accept queue can be small (Python's
   * socketserver listens with a backlog of 5): a burst of connects beyond it loses SYNs, and the
   * kernel retries those only after 1, 3, 7 … s, so a few requests wait seconds on a socket that is
   * not there yet while others have open ones. Opening sockets a few at a time avoids that.
   */
  connectsInFlight: number;
}

/** A connector that lets at most `max` connection attempts run at once; the rest wait in turn. */
export function limitConnects(
  connect: buildConnector.connector,
  max: number,
): buildConnector.connector {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  return (opts, callback) => {
    const start = () => {
      inFlight++;
      connect(opts, (...args) => {
        inFlight--;
        waiting.shift()?.();
        callback(...args);
      });
    };
    if (inFlight < max) start();
    else waiting.push(start);
  };
}

/** A keep-alive agent with bounded sockets per origin that opens them a few at a time. */
export async function createAgent(options: AgentOptions): Promise<Agent> {
  const [{ Agent }, buildConnector] = await Promise.all([loadAgentClass(), loadConnectorBuilder()]);
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: options.connections,
    connect: limitConnects(buildConnector({ timeout: 10_000 }), options.connectsInFlight),
  });
}
