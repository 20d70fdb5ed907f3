/**
 * `serverless.serve(app, options)`: the public types and their one validation. Lean on purpose
 * (no Node HTTP here): it sits in the worker's static import graph, the servers load on demand.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import {
  custom,
  func,
  integer,
  nonEmptyString,
  object,
  type Rule,
  validated,
} from "../core/checks.js";
import { ValidationError } from "../core/errors.js";
import { LB_HOST_ENV, LB_PROCESSING_TIMEOUT_MS } from "../protocol/load-balancing.js";

/** What the app's `fetch` receives besides the request: the Node objects behind it. */
export interface ServeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/**
 * Any fetch handler: a Hono app, an itty-router, or a plain `{ fetch(request) { ... } }`. Its
 * result may stream (a `ReadableStream` body is written chunk by chunk as it is produced).
 */
export interface ServeApp {
  fetch(request: Request, bindings: ServeBindings): Response | Promise<Response>;
}

/** Options of `serverless.serve(app, options)`. */
export interface ServeOptions {
  /**
   * Runs once after the servers listen and the registered fitness checks passed; the health path
   * answers 204 (initializing) until it resolves, then 200. A throw or rejection is reported as
   * unhealthy and the process exits with 1. Load models here.
   */
  init?: () => unknown;
  /**
   * Requests handled at once; beyond it a request is answered `429` at once (never queued). Health
   * checks and WebSocket sessions do not count.
   * @default unlimited
   */
  maxConcurrency?: number;
  /**
   * After SIGTERM/SIGINT, how long in-flight requests, streams and WebSocket sessions may take to
   * finish before the process exits anyway, in ms.
   * @default 330_000 (the platform's processing timeout: no request can legitimately run longer)
   */
  shutdownGraceMs?: number;
  /**
   * Interface to listen on. The platform needs `0.0.0.0`; off the platform the worker stays on
   * loopback unless told otherwise (set `"0.0.0.0"` for `docker run -p` on your machine).
   * @default `RUNPOD_LB_HOST` when set (the local load balancer sets `127.0.0.1`), else "0.0.0.0"
   * when `RUNPOD_POD_ID` is set (on the platform), else "127.0.0.1"
   */
  hostname?: string;
}

/** What `serve()` resolves with once it listens (before `init` finishes). */
export interface ServedApp {
  /**
   * The app's Node HTTP server: attach WebSockets here (`new WebSocketServer({ server })` of `ws`,
   * or `injectWebSocket(server)` of `@hono/node-ws`).
   */
  server: Server;
  /** The port the app listens on (from `PORT`; useful when `PORT=0`). */
  port: number;
  /** The port of the health path (equals `port` unless `PORT_HEALTH` differs). */
  healthPort: number;
}

/** `serve()` options with defaults applied. */
export interface ResolvedServeOptions {
  init: (() => unknown) | undefined;
  maxConcurrency: number | undefined;
  shutdownGraceMs: number;
  hostname: string;
}

/** setTimeout fires at once above 2^31 - 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

const serveOptionsRule = object({
  init: func,
  maxConcurrency: integer(1),
  shutdownGraceMs: integer(0, MAX_TIMER_MS),
  hostname: nonEmptyString(),
} satisfies Record<keyof ServeOptions, Rule>);

const appRule: Rule = custom(
  (v) =>
    (typeof v === "object" || typeof v === "function") &&
    v !== null &&
    typeof (v as { fetch?: unknown }).fetch === "function",
  "must have a fetch(request) method (a Hono app, or any { fetch(request) => Response })",
);

/** Validates `serve(app, options)`; throws `ValidationError` naming what is wrong. */
export function resolveServeOptions(
  app: unknown,
  options: unknown,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedServeOptions {
  validated(appRule, app, "serverless.serve() app");
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new ValidationError("serverless.serve() options", [
      { path: [], message: "expected an object like { init, maxConcurrency }" },
    ]);
  }
  const o = validated<ServeOptions>(serveOptionsRule, options ?? {}, "serverless.serve() options");
  return {
    init: o.init,
    maxConcurrency: o.maxConcurrency,
    shutdownGraceMs: o.shutdownGraceMs ?? LB_PROCESSING_TIMEOUT_MS,
    hostname: o.hostname || env[LB_HOST_ENV] || (env.RUNPOD_POD_ID ? "0.0.0.0" : "127.0.0.1"),
  };
}
