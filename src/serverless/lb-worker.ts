/**
 * The load-balancing worker behind `serverless.serve()` (spec `load-balancing.md` §2): the app's
 * HTTP server, the health answer, start-up gating, the concurrency cap and the drain. Never touches
 * `process` (signals, exit): `serve.ts` does. Loaded by dynamic import only, with its HTTP
 * machinery (@hono/node-server turns Node requests into `Request`s and streams `Response`s back).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { userAgent } from "../core/user-agent.js";
import { VERSION } from "../core/version.js";
import { HEALTH_STATUS, type LoadBalancerWorkerEnv } from "../protocol/load-balancing.js";
import { workerUrl } from "../protocol/urls.js";
import { describeThrown } from "../protocol/worker-error.js";
import { unhealthyPingUrl } from "../protocol/worker-requests.js";
import { type Env, readWorkerEnv } from "./config.js";
import { runFitnessChecks } from "./fitness.js";
import { WorkerHttp } from "./http.js";
import type { WorkerLog } from "./log.js";
import type { ResolvedServeOptions, ServeApp, ServeBindings, ServedApp } from "./serve-options.js";

/** `initializing` → `ready` → `draining`; `unhealthy` when start-up failed. */
export type LbWorkerState = "initializing" | "ready" | "draining" | "unhealthy";

export interface LbWorkerRuntime {
  /** Ports and health path (§2.1). */
  lb: LoadBalancerWorkerEnv;
  /** The whole environment, for the unhealthy ping (`RUNPOD_WEBHOOK_PING`, as the queue worker). */
  env: Env;
  log: WorkerLog;
}

/** An id the client sent us is kept when it is a plain token, so logs line up across hops. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: object, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...(close ? { connection: "close" } : {}),
  });
  res.end(text);
}

function isResponse(v: unknown): v is Response {
  return typeof v === "object" && v !== null && typeof (v as Response).status === "number";
}

export class LoadBalancerWorker {
  private state: LbWorkerState = "initializing";
  private inFlight = 0;
  /** Upgraded connections (WebSockets): the drain waits for them too. */
  private readonly sessions = new Set<Duplex>();
  private readonly servers: Server[] = [];
  private readonly requestIds = new WeakMap<IncomingMessage, string>();
  private graceTimer: NodeJS.Timeout | undefined;
  private settle!: (code: number) => void;
  /** Resolves with the exit code: 0 after a drain, 1 when init or a fitness check failed. */
  readonly exited = new Promise<number>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    private readonly app: ServeApp,
    private readonly options: ResolvedServeOptions,
    private readonly runtime: LbWorkerRuntime,
  ) {}

  /** Listens on `PORT` (and `PORT_HEALTH` when it differs), then starts fitness checks and init. */
  async listen(): Promise<ServedApp> {
    const { lb, log } = this.runtime;
    const { hostname } = this.options;
    // A node:http server only ever passes HTTP/1 bindings.
    const appListener = getRequestListener(
      (request, bindings) => this.callApp(request, bindings as ServeBindings),
      {
        errorHandler: (error) => this.appFailed(error, undefined),
      },
    );
    const server = createServer((req, res) => this.onRequest(req, res, appListener));
    server.prependListener("upgrade", (req: IncomingMessage, socket: Duplex) =>
      this.onUpgrade(server, req, socket),
    );
    this.servers.push(server);
    const port = await listen(server, lb.port, hostname);
    let healthPort = port;
    if (lb.healthPort !== lb.port) {
      const health = createServer((req, res) => {
        if (!this.answerHealth(req, res)) sendJson(res, 404, { error: "not found" });
      });
      this.servers.push(health);
      healthPort = await listen(health, lb.healthPort, hostname);
    }
    log.info(
      `Load-balancing worker listening on http://${hostname}:${port}, health on port ${healthPort} at ${lb.healthPath}.`,
    );
    void this.prepare();
    return { server, port, healthPort };
  }

  /** Stops being routable (health 503), refuses new requests, exits once in-flight work is done. */
  shutdown(reason = "shutdown requested"): void {
    if (this.state === "draining" || this.state === "unhealthy") return;
    this.state = "draining";
    this.runtime.log.info(
      `Draining (${reason}): health answers 503; finishing ${this.inFlight} request(s) and ${this.sessions.size} WebSocket session(s).`,
    );
    for (const server of this.servers) server.closeIdleConnections();
    if (this.idle()) {
      this.finish(0);
      return;
    }
    const grace = this.options.shutdownGraceMs;
    this.graceTimer = setTimeout(() => {
      this.runtime.log.warn(
        `shutdownGraceMs (${grace} ms) ran out: closing ${this.inFlight} request(s) and ${this.sessions.size} WebSocket session(s).`,
      );
      this.finish(0);
    }, grace);
  }

  private idle(): boolean {
    return this.inFlight === 0 && this.sessions.size === 0;
  }

  /** Fitness checks, then `init`; the health path answers 204 throughout, then 200. */
  private async prepare(): Promise<void> {
    const { log } = this.runtime;
    const fitness = await runFitnessChecks(log, this.runtime.env);
    if (!fitness.ok) return this.fail(fitness.check, fitness.reason);
    const init = this.options.init;
    if (init) {
      const started = performance.now();
      // init may hold the thread for long (loading a model): what was logged leaves first.
      log.flush();
      try {
        await init();
      } catch (thrown) {
        if (thrown instanceof Error && thrown.stack) log.debug(thrown.stack);
        const { errorType, errorMessage } = describeThrown(thrown);
        return this.fail("init", `${errorType}: ${errorMessage}`);
      }
      log.info(`init finished in ${Math.round(performance.now() - started)} ms.`);
    }
    if (this.state !== "initializing") return;
    this.state = "ready";
    log.info("Ready: the health check answers 200.");
  }

  /** As the queue worker: unhealthy report (health answer and, when configured, the ping), exit 1. */
  private async fail(check: string, reason: string): Promise<void> {
    this.state = "unhealthy";
    this.runtime.log.error(`Worker is unhealthy (${check}: ${reason}), exiting.`);
    try {
      await this.pingUnhealthy(check, reason);
    } catch (error) {
      // A bad ping setting (RUNPOD_PING_INTERVAL…) must not keep an unhealthy worker alive.
      this.runtime.log.warn(
        `Unhealthy ping not sent: ${(error as Error)?.message ?? String(error)}`,
      );
    } finally {
      this.finish(1);
    }
  }

  private async pingUnhealthy(check: string, reason: string): Promise<void> {
    const env = readWorkerEnv(this.runtime.env);
    if (!env.pingTemplate) return;
    const http = new WorkerHttp(env.apiKey, userAgent(), { sockets: 1 });
    const url = unhealthyPingUrl(workerUrl(env.pingTemplate, env.workerId), check, reason, VERSION);
    try {
      await http.get(url, "unhealthy ping", { timeoutMs: 2_000 });
    } catch {
      // Best effort, as the queue worker: the exit code and the health answer still tell.
    } finally {
      await http.destroy();
    }
  }

  private finish(code: number): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    for (const socket of this.sessions) socket.destroy();
    for (const server of this.servers) {
      server.close();
      server.closeAllConnections();
    }
    this.settle(code);
  }

  /** Answers a health check (GET/HEAD at the health path); `false` when `req` is not one. */
  private answerHealth(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    if ((q < 0 ? url : url.slice(0, q)) !== this.runtime.lb.healthPath) return false;
    if (this.state === "initializing") {
      res.writeHead(HEALTH_STATUS.initializing, { "cache-control": "no-store" });
      res.end();
    } else {
      const status = this.state === "ready" ? HEALTH_STATUS.ready : HEALTH_STATUS.unavailable;
      sendJson(res, status, { status: this.state });
    }
    return true;
  }

  private onRequest(
    req: IncomingMessage,
    res: ServerResponse,
    appListener: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  ): void {
    if (this.answerHealth(req, res)) return;
    if (this.state !== "ready") {
      const error =
        this.state === "initializing" ? "worker is initializing" : "worker is shutting down";
      sendJson(res, 503, { error }, this.state !== "initializing");
      return;
    }
    const max = this.options.maxConcurrency;
    if (max !== undefined && this.inFlight >= max) {
      sendJson(res, 429, { error: `worker at capacity (maxConcurrency ${max})` });
      return;
    }
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    // The app sees the id as a request header; the client gets it back unless the app sets its own.
    if (given === undefined) req.rawHeaders.push("x-request-id", id);
    res.setHeader("x-request-id", id);
    this.requestIds.set(req, id);
    this.inFlight++;
    const started = performance.now();
    res.once("close", () => {
      this.inFlight--;
      this.logDone(req, res, id, started);
      if (this.state === "draining" && this.idle()) this.finish(0);
    });
    void appListener(req, res);
  }

  private logDone(req: IncomingMessage, res: ServerResponse, id: string, started: number): void {
    // The path without its query: a query may carry a key (the docs' example does).
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const what = `${req.method} ${q < 0 ? url : url.slice(0, q)}`;
    const ms = Math.round(performance.now() - started);
    if (res.writableFinished) this.runtime.log.info(`${what} ${res.statusCode} ${ms}ms`, id);
    else
      this.runtime.log.warn(
        `${what}: the connection closed before the response ended (${ms}ms)`,
        id,
      );
  }

  private callApp(request: Request, bindings: ServeBindings): Response | Promise<Response> {
    const id = this.requestIds.get(bindings.incoming);
    const checked = (result: unknown): Response =>
      isResponse(result)
        ? result
        : this.appFailed(
            new TypeError(`app.fetch returned ${describeValue(result)}, not a Response`),
            id,
          );
    try {
      const result: unknown = this.app.fetch(request, bindings);
      return result instanceof Promise
        ? result.then(checked, (error: unknown) => this.appFailed(error, id))
        : checked(result);
    } catch (error) {
      return this.appFailed(error, id);
    }
  }

  private appFailed(error: unknown, id: string | undefined): Response {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.runtime.log.error(`The app failed: ${text}`, id);
    return new Response(JSON.stringify({ error: "internal server error" }), {
      status: 500,
      headers: { "content-type": "application/json" },
    });
  }

  /**
   * Runs before the user's own upgrade listener (`ws`, `@hono/node-ws`): counts the session for
   * the drain, and refuses it while not ready. A refused socket is ended, so `ws` drops it.
   */
  private onUpgrade(server: Server, req: IncomingMessage, socket: Duplex): void {
    const refuse = (status: string) => {
      socket.on("error", () => {});
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (this.state !== "ready") {
      refuse("503 Service Unavailable");
      return;
    }
    // Node destroys upgrades no one listens for; we are a listener, so we answer for the app.
    if (server.listenerCount("upgrade") === 1) {
      refuse("404 Not Found");
      return;
    }
    this.runtime.log.debug(`WebSocket session opened on ${req.url ?? "/"}`);
    this.sessions.add(socket);
    socket.once("close", () => {
      this.sessions.delete(socket);
      if (this.state === "draining" && this.idle()) this.finish(0);
    });
  }
}

function describeValue(v: unknown): string {
  return v === null
    ? "null"
    : typeof v === "object"
      ? `an object (${Object.keys(v).join(", ")})`
      : typeof v;
}
