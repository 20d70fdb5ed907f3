import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import * as z from "zod/mini";
import { RunpodError } from "../core/errors.js";
import { silentLogger } from "../core/logger.js";
import { validate } from "../core/validate.js";
import type { EndpointHealth } from "../protocol/status.js";
import { webhookEnv } from "../protocol/webhook-env.js";
import type { WorkerLink } from "../protocol/worker-link.js";
import { createApp } from "./app.js";
import { BatchStore } from "./batch-store.js";
import { createDashboard } from "./dashboard/index.js";
import {
  EventBus,
  type JobSnapshot,
  type PlatformListener,
  type WorkerSnapshot,
} from "./events.js";
import { JobStore } from "./job-store.js";
import { type LbEndpoint, LbEndpoints, lbEndpointSnapshot } from "./load-balancer/endpoints.js";
import type { LbWorkerSnapshot } from "./load-balancer/snapshots.js";
import { LOOPBACK_BINDS } from "./loopback.js";
import { type LocalPlatformOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { WebhookSender } from "./webhooks.js";
import { createWorkerLink } from "./worker-link.js";
import { WorkerRegistry } from "./worker-registry.js";

/** A running local platform. */
export interface LocalPlatform {
  /** Base URL, e.g. `http://127.0.0.1:8000`; the public API is under `${url}/v2/${endpointId}`. */
  readonly url: string;
  /** `${url}/v2/${endpointId}`: what an endpoint client uses as its endpoint URL. */
  readonly endpointUrl: string;
  readonly endpointId: string;
  readonly host: string;
  readonly port: number;
  /**
   * The `RUNPOD_WEBHOOK_*`, `RUNPOD_POD_ID` and `RUNPOD_AI_API_KEY` variables that point a worker
   * at this platform. `workerId` defaults to `local-worker`.
   */
  workerEnv(workerId?: string): Record<string, string>;
  /**
   * Base URL of the local load-balancing endpoint (option `loadBalancer`), e.g.
   * `http://127.0.0.1:8001`: any path under it goes to a worker. `undefined` without one.
   */
  readonly loadBalancerUrl: string | undefined;
  /**
   * The load-balancing endpoint's id (option `loadBalancer.endpointId`, default `local-lb`): it
   * is also reached as `<id>.localhost` on the balancer's port. `undefined` without one.
   */
  readonly loadBalancerEndpointId: string | undefined;
  /** The load balancer's workers (empty without one). */
  loadBalancerWorkers(): LbWorkerSnapshot[];
  /**
   * Replaces the load balancer's workers with fresh processes (after their code changed, as
   * `runpod-ts dev --load-balancer` does on a file change): the old ones stop taking requests and
   * drain; resolves once they have exited. Nothing to do without a load balancer.
   */
  restartLoadBalancerWorkers(): Promise<void>;
  /**
   * Observes every change (jobs, stream chunks, workers, webhooks, and every load-balancing
   * endpoint's start, workers and requests); returns the unsubscribe.
   */
  subscribe(listener: PlatformListener): () => void;
  /** Jobs currently known (queued, running, and final ones still retained). */
  jobs(): JobSnapshot[];
  /** Workers currently known. */
  workers(): WorkerSnapshot[];
  /** What `GET /health` answers. */
  health(): EndpointHealth;
  /** How many requests are being held right now (long polls, runsync, status-sync, stream). */
  heldRequests(): number;
  /**
   * Answers a request in this process exactly as the server would (same routes, auth and checks),
   * without a socket. `--rp_serve_api` runs its worker through it; tests may too.
   */
  fetch(request: Request): Promise<Response>;
  /**
   * The in-process worker link: a worker in this process (`--rp_serve_api`) sends its job-take,
   * job-done, job-stream and job-stop requests here as data, and they take the same operations,
   * checks and state changes as over HTTP, without building a `Request`/`Response` per call.
   */
  readonly workerLink: WorkerLink;
  /**
   * Hands worker `workerId` no more jobs, for its shutdown: its held job-take answers 204 at once,
   * and so do its later ones, without being held. A worker waits for its job-take in flight before
   * it exits, since jobs handed to a closed connection would be lost: drain it before stopping it
   * and it exits as soon as its running jobs are done. Its results, stream chunks and stops still
   * go through. Returns the function that ends the drain (once its process exited, so that a fresh
   * one with the same id gets jobs).
   */
  drainWorker(workerId: string): () => void;
  /**
   * Releases every held request, stops timers and webhooks, drains and stops the load balancer's
   * workers (in-flight requests finish), and closes the servers.
   */
  close(): Promise<void>;
}

const workerIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._-]+$/, "letters, digits, . _ - only"));

/** How long close() lets released long polls finish writing before cutting connections. */
const CLOSE_GRACE_MS = 200;

/**
 * Starts the local platform: a queue and job state machine behind the public endpoint API and
 * the worker-facing API, on `host:port` (default `127.0.0.1:8000`).
 */
export async function createLocalPlatform(options?: LocalPlatformOptions): Promise<LocalPlatform> {
  const opts = resolveOptions(options);
  const logger = opts.logger ?? silentLogger;
  const exposed = !LOOPBACK_BINDS.has(opts.host) && opts.apiKey === undefined;
  const events = new EventBus();
  const workers = new WorkerRegistry(opts.workerStaleMs, events);
  const webhooks = new WebhookSender(
    {
      attempts: opts.webhookAttempts,
      retryDelayMs: opts.webhookRetryDelayMs,
      timeoutMs: opts.webhookTimeoutMs,
      publicOnly: exposed && !opts.allowPrivateWebhooks,
    },
    events,
    logger,
  );
  const store = new JobStore(
    {
      runRetentionMs: opts.runRetentionMs,
      syncRetentionMs: opts.syncRetentionMs,
      maxFinishedJobs: opts.maxFinishedJobs,
      executionTimeoutMs: opts.executionTimeoutMs,
      ttlMs: opts.ttlMs,
      interactiveBurst: opts.interactiveBurst,
    },
    workers,
    events,
    (payload) => webhooks.send(payload),
  );
  const health = (): EndpointHealth => ({ jobs: store.jobCounts(), workers: workers.counts() });
  const loadBalancers = new LbEndpoints(
    { host: opts.host, apiKey: opts.apiKey, queueEndpointId: opts.endpointId, events, logger },
    urlHost(opts.host),
  );
  // Known once the servers listen; the dashboard and the REST view read them when asked.
  let url = "";
  let loadBalancer: LbEndpoint | undefined;
  const dashboard = opts.dashboard
    ? createDashboard({
        endpointId: opts.endpointId,
        subscribe: (listener) => events.subscribe(listener),
        jobs: () => store.list(),
        job: (id) => {
          const job = store.get(id);
          return job && store.snapshotOf(job);
        },
        workers: () => workers.list(),
        health,
        loadBalancers: () => loadBalancers.list().map(lbEndpointSnapshot),
        lbWorkers: () => loadBalancers.list().flatMap((e) => e.workers()),
      })
    : undefined;
  const batches = new BatchStore(opts, store);
  const core = {
    store,
    batches,
    workers,
    options: opts,
    loadBalancers,
    url: () => url,
    startedAt: Date.now(),
  };
  const app = createApp(core, logger, dashboard);
  const workerLink = createWorkerLink(core, logger);
  // @hono/node-server's default: it installs its lightweight Request/Response (subclass-compatible
  // with the originals) as globals, which roughly doubles throughput over building full ones.
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new RunpodError(
          `local platform cannot listen on ${opts.host}:${opts.port}: ${error.message}`,
          { cause: error },
        ),
      );
    server.once("error", onError);
    server.listen(opts.port, opts.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (error) => logger.error("local platform server error", error));

  const port = (server.address() as AddressInfo).port;
  if (exposed) warnExposed(opts, port);
  url = `http://${urlHost(opts.host)}:${port}`;
  if (opts.loadBalancer !== undefined) {
    try {
      loadBalancer = await loadBalancers.start(opts.loadBalancer);
    } catch (error) {
      server.close();
      throw error;
    }
  }
  const endpointUrl = `${url}/v2/${opts.endpointId}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    endpointUrl,
    endpointId: opts.endpointId,
    host: opts.host,
    port,
    loadBalancerUrl: loadBalancer?.url,
    loadBalancerEndpointId: loadBalancer?.id,
    loadBalancerWorkers: () => loadBalancer?.workers() ?? [],
    restartLoadBalancerWorkers: async () => loadBalancer?.restartWorkers(),
    workerEnv(workerId = "local-worker") {
      // The id lands in URL paths: keep it to characters that need no escaping.
      validate(workerIdSchema, workerId, "workerEnv workerId");
      const apiKey = opts.apiKey ?? "local";
      return webhookEnv({ baseUrl: url, endpointId: opts.endpointId, workerId, apiKey });
    },
    subscribe: (listener) => events.subscribe(listener),
    jobs: () => store.list(),
    workers: () => workers.list(),
    health,
    heldRequests: () => store.heldRequests + workers.heldRequests,
    drainWorker: (workerId) => store.drain(workerId),
    fetch: async (request) => app.fetch(request),
    workerLink,
    close() {
      closing ??= (async () => {
        await loadBalancers.close();
        await closeQueuePlatform();
      })();
      return closing;
    },
  };

  function closeQueuePlatform(): Promise<void> {
    return new Promise<void>((resolve) => {
      store.close();
      batches.close();
      workers.close();
      webhooks.close();
      dashboard?.close();
      // Released long polls finish their answers, then their keep-alive sockets go idle: close
      // idle sockets as they appear, and cut whatever is left after a short grace.
      const sweep = setInterval(() => server.closeIdleConnections(), 5);
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      sweep.unref();
      cut.unref();
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    });
  }
}

/**
 * Said at start whenever the platform is reachable from other machines without a key. Through the
 * caller's logger when there is one (the CLI's), else as a Node warning on stderr: a library stays
 * silent by default, but not about this.
 */
function warnExposed(opts: ResolvedOptions, port: number): void {
  const message = `the local platform listens on ${opts.host}:${port} without an API key: anyone who can reach this machine can submit, take and cancel jobs and read their inputs and outputs. Set an API key (apiKey, or runpod-ts dev --api-key KEY) or bind 127.0.0.1.${opts.allowPrivateWebhooks ? "" : " Webhooks to loopback, private and link-local addresses are refused (allowPrivateWebhooks lets them through)."}`;
  if (opts.logger) opts.logger.warn(message);
  else process.emitWarning(message, { code: "RUNPOD_LOCAL_PLATFORM_EXPOSED" });
}

/** A URL host for the bound interface: wildcard binds are reached over loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export type { WorkerAnswer, WorkerCall, WorkerLink } from "../protocol/worker-link.js";
export type { JobSnapshot, PlatformEvent, PlatformListener, WorkerSnapshot } from "./events.js";
export type { LoadBalancerOptions, WorkerOutput } from "./load-balancer/options.js";
export type {
  LbEndpointSnapshot,
  LbRequestRecord,
  LbWorkerRemoval,
  LbWorkerSnapshot,
  LbWorkerState,
} from "./load-balancer/snapshots.js";
export type { LocalPlatformOptions } from "./options.js";
