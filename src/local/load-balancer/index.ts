import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { RunpodError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { LB_STATUS, parseAffinity } from "../../protocol/load-balancing.js";
import type { EventBus } from "../events.js";
import { gate } from "./gate.js";
import type { LbWorker } from "./lb-worker.js";
import type { ResolvedLoadBalancerOptions } from "./options.js";
import { isRefusal, LbPool, type Refusal } from "./pool.js";
import { proxyRequest } from "./proxy.js";
import type { LbRequestRecord, LbWorkerSnapshot } from "./snapshots.js";
import { answerRaw, proxyUpgrade } from "./upgrade.js";

/** The affinity request header (§5.2), as Node names incoming headers. */
const AFFINITY_HEADER = "x-runpod-worker-id";

export interface LoadBalancerContext {
  /** The interface to bind: the platform's. */
  host: string;
  apiKey: string | undefined;
  /** The platform's queue endpoint, whose LB host (`<id>.localhost`) is refused. */
  queueEndpointId: string;
  events: EventBus;
  logger: Logger;
  /** A worker id no other worker on the platform has (strict-resume reuses its own). */
  newWorkerId(): string;
}

/** A running local load balancer. */
export interface LoadBalancer {
  readonly port: number;
  workers(): LbWorkerSnapshot[];
  /** Requests waiting for a worker now. */
  waiting(): number;
  /** Replaces every worker with a fresh process; resolves once the old ones have drained. */
  restartWorkers(): Promise<void>;
  /** Stops taking requests, drains and stops every worker, then closes the server. */
  close(): Promise<void>;
}

/**
 * The local stand-in for a load-balancing endpoint (spec §10): a plain `node:http` server (no
 * framework between the client and the worker, for speed) in front of worker processes it starts
 * and scales.
 */
export async function startLoadBalancer(
  options: ResolvedLoadBalancerOptions,
  ctx: LoadBalancerContext,
): Promise<LoadBalancer> {
  const pool = new LbPool(options, process.env, ctx.events, ctx.logger, ctx.newWorkerId);
  const check = gate({
    bindHost: ctx.host,
    apiKey: ctx.apiKey,
    endpointId: options.endpointId,
    queueEndpointId: ctx.queueEndpointId,
  });
  const limits = {
    processingTimeoutMs: options.processingTimeoutMs,
    payloadLimitBytes: options.payloadLimitBytes,
  };
  let seq = 0;
  /** Counts every request; builds its record only when someone listens (the dashboard). */
  const record = (
    req: IncomingMessage,
    startedAt: number,
    waitedUntil: number,
    status: number | undefined,
    error: string | undefined,
    workerId?: string,
  ) => {
    seq++;
    if (!ctx.events.active) return;
    const request: LbRequestRecord = {
      endpointId: options.endpointId,
      seq,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      startedAt,
      waitMs: waitedUntil - startedAt,
      durationMs: Date.now() - startedAt,
      ...(status === undefined ? {} : { status }),
      ...(error === undefined ? {} : { error }),
      ...(workerId === undefined ? {} : { workerId }),
    };
    ctx.events.emit({ type: "lb-request", request });
  };

  /** What a request gets before any worker: a refusal, or the worker that will serve it. */
  const admit = (
    req: IncomingMessage,
    onClose: (cancel: () => void) => () => void,
  ): Refusal | LbWorker | Promise<Refusal | LbWorker> => {
    const refused = check(req);
    if (refused !== undefined) return refused;
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > options.payloadLimitBytes) {
      return {
        status: LB_STATUS.payloadTooLarge,
        error: `request body over the ${options.payloadLimitBytes}-byte payload limit`,
      };
    }
    const pin = parseAffinity(req.headers[AFFINITY_HEADER] as string | undefined);
    const now = pool.take(pin);
    if (now !== undefined) return now;
    const wait = pool.wait(pin);
    const stopListening = onClose(wait.cancel);
    return wait.result.finally(stopListening);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = Date.now();
    const serve = (got: Refusal | LbWorker) => {
      const waitedUntil = Date.now();
      if (isRefusal(got)) {
        const body = JSON.stringify({ error: got.error });
        res.writeHead(got.status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...(req.complete ? {} : { connection: "close" }),
        });
        res.end(body);
        record(req, startedAt, waitedUntil, got.status, got.error);
        return;
      }
      if (res.destroyed) {
        pool.release(got);
        return;
      }
      proxyRequest(req, res, got, limits, (status, error) => {
        pool.release(got);
        record(req, startedAt, waitedUntil, status, error, got.id);
      });
    };
    const admitted = admit(req, (cancel) => {
      res.once("close", cancel);
      return () => res.off("close", cancel);
    });
    if (admitted instanceof Promise) admitted.then(serve);
    else serve(admitted);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const startedAt = Date.now();
    socket.on("error", () => socket.destroy());
    const serve = (got: Refusal | LbWorker) => {
      const waitedUntil = Date.now();
      if (isRefusal(got)) {
        answerRaw(socket, got.status, JSON.stringify({ error: got.error }));
        record(req, startedAt, waitedUntil, got.status, got.error);
        return;
      }
      if (socket.destroyed) {
        pool.release(got);
        return;
      }
      proxyUpgrade(req, socket, head, got, (outcome) => {
        pool.release(got);
        record(req, startedAt, waitedUntil, outcome.status, outcome.error, got.id);
      });
    };
    const admitted = admit(req, (cancel) => {
      socket.once("close", cancel);
      return () => socket.off("close", cancel);
    });
    if (admitted instanceof Promise) admitted.then(serve);
    else serve(admitted);
  };

  // Our own timeouts (request, affinity, processing) govern; Node's 5-minute request timeout
  // would cut a request held for a busy pinned worker.
  const server = createServer({ requestTimeout: 0 }, onRequest);
  server.on("upgrade", onUpgrade);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new RunpodError(
          `local load balancer cannot listen on ${ctx.host}:${options.port}: ${error.message}`,
          { cause: error },
        ),
      );
    server.once("error", onError);
    server.listen(options.port, ctx.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (error) => ctx.logger.error("local load balancer server error", error));

  // Workers must not outlive this process, whatever ends it: its exit (an uncaught error), or a
  // SIGTERM/SIGINT nobody else handles (a test runner ending its workers), which would end it
  // without running exit handlers: then the workers go and the signal is raised again.
  const killAll = () => pool.killAll();
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return; // someone else shuts down, gracefully
    killAll();
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  };
  process.once("exit", killAll);
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  pool.start();

  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    workers: () => pool.snapshots(),
    waiting: () => pool.waiting,
    restartWorkers: () => pool.restart(),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await pool.close();
        process.off("exit", killAll);
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
