import { Agent } from "node:http";
import { healthStateOf, workerStatusOf } from "../../protocol/load-balancing.js";
import { checkHealth } from "./health-check.js";
import type { ResolvedLoadBalancerOptions } from "./options.js";
import type { LbWorkerSnapshot, LbWorkerState } from "./snapshots.js";
import { UpstreamPool } from "./upstream-pool.js";
import { WorkerProcess, type WorkerSpawn } from "./worker-process.js";

/**
 * A health poll that gets no answer for this long counts as no answer. Generous, because a worker
 * whose server serialises requests cannot answer while it serves one.
 */
const HEALTH_TIMEOUT_MS = 5_000;

/** What a worker tells its pool. */
export interface LbWorkerHooks {
  /** Its state, load or health changed. */
  changed(worker: LbWorker): void;
  /** It has had no request for the idle timeout. */
  idle(worker: LbWorker): void;
  /** It has been unroutable (never healthy, or unhealthy) for the grace period. */
  graceOver(worker: LbWorker): void;
  /** Its process ended. */
  exited(worker: LbWorker, code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * One worker behind the load balancer: its process, the health polls that move its state
 * (§10.2–4), its load, and its idle and grace timers.
 */
export class LbWorker {
  readonly id: string;
  readonly port: number;
  readonly healthPort: number;
  /** Keep-alive connections to its app port, reused across requests. */
  readonly upstream: UpstreamPool;
  readonly process: WorkerProcess;
  readonly startedAt = Date.now();
  state: LbWorkerState = "starting";
  inFlight = 0;
  served = 0;
  /** For least-recently-used tie-breaks between equally loaded workers. */
  lastAssignedAt = 0;
  lastRequestAt: number | undefined;
  /** Nothing has answered its health checks within the startup timeout (§2.3). */
  misconfigured = false;
  #firstInitializingAt: number | undefined;
  #readyAt: number | undefined;
  #coldStartMs: number | undefined;
  #unhealthyReason: string | undefined;
  readonly #healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #o: ResolvedLoadBalancerOptions;
  readonly #hooks: LbWorkerHooks;
  #pollTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #startupTimer: NodeJS.Timeout | undefined;

  constructor(spawnInfo: WorkerSpawn, options: ResolvedLoadBalancerOptions, hooks: LbWorkerHooks) {
    this.id = spawnInfo.id;
    this.port = spawnInfo.port;
    this.healthPort = spawnInfo.healthPort;
    this.upstream = new UpstreamPool(this.port);
    this.#o = options;
    this.#hooks = hooks;
    this.process = new WorkerProcess(spawnInfo);
    this.process.exited.then(({ code, signal }) => {
      this.#stopTimers();
      this.upstream.destroy();
      this.#healthAgent.destroy();
      hooks.exited(this, code, signal);
    });
    this.#startupTimer = setTimeout(() => {
      if (this.state !== "starting") return;
      this.state = "unhealthy";
      this.misconfigured = true;
      this.#unhealthyReason = `no answer to GET ${options.healthPath} on port ${this.healthPort}`;
      hooks.changed(this);
    }, options.startupTimeoutMs);
    this.#armGrace();
    this.#poll();
  }

  /** Can take one more request now. */
  get routable(): boolean {
    const cap = this.#o.workers.concurrency;
    return this.state === "ready" && (cap === undefined || this.inFlight < cap);
  }

  take(): void {
    this.inFlight++;
    this.served++;
    this.lastAssignedAt = this.lastRequestAt = Date.now();
    this.#hooks.changed(this);
  }

  release(): void {
    this.inFlight--;
    this.lastRequestAt = Date.now();
    this.#armIdle();
    this.#hooks.changed(this);
  }

  /** Leaves the routing pool at once, drains (SIGTERM) and is killed after the stop grace. */
  stop(): Promise<void> {
    if (this.state !== "stopping") {
      this.state = "stopping";
      this.#stopTimers();
      this.#hooks.changed(this);
    }
    return this.process.stop(this.#o.stopGraceMs);
  }

  snapshot(): LbWorkerSnapshot {
    const health =
      this.state === "ready" ? "ready" : this.state === "unhealthy" ? "unhealthy" : "initializing";
    return {
      id: this.id,
      endpointId: this.#o.endpointId,
      ...(this.process.pid === undefined ? {} : { pid: this.process.pid }),
      port: this.port,
      healthPort: this.healthPort,
      state: this.state,
      ...(this.state === "stopping" ? {} : { status: workerStatusOf(health, this.inFlight) }),
      inFlight: this.inFlight,
      served: this.served,
      startedAt: this.startedAt,
      ...(this.#readyAt === undefined ? {} : { readyAt: this.#readyAt }),
      ...(this.#coldStartMs === undefined ? {} : { coldStartMs: this.#coldStartMs }),
      ...(this.lastRequestAt === undefined ? {} : { lastRequestAt: this.lastRequestAt }),
      ...(this.#unhealthyReason === undefined || this.state === "ready"
        ? {}
        : { unhealthyReason: this.#unhealthyReason }),
    };
  }

  async #poll(): Promise<void> {
    if (this.state === "stopping") return;
    const status = await checkHealth(
      this.healthPort,
      this.#o.healthPath,
      HEALTH_TIMEOUT_MS,
      this.#healthAgent,
    );
    // It may have been stopped while the poll was out.
    if ((this.state as LbWorkerState) === "stopping") return;
    this.#apply(status);
    this.#pollTimer = setTimeout(() => this.#poll(), this.#o.healthIntervalMs);
  }

  /** §10.3: 200 routable, 204 initializing, anything else (or silence) unhealthy. */
  #apply(status: number | undefined): void {
    const before = this.state;
    const reason = this.#unhealthyReason;
    // Silence before the first answer is a worker still starting, not an unhealthy one.
    if (status === undefined && this.state === "starting") return;
    clearTimeout(this.#startupTimer);
    this.misconfigured = false;
    const now = Date.now();
    const health = healthStateOf(status);
    if (health === "ready") {
      this.state = "ready";
      if (this.#readyAt === undefined) {
        this.#readyAt = now;
        if (this.#firstInitializingAt !== undefined) {
          this.#coldStartMs = now - this.#firstInitializingAt;
        }
      }
      clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
      if (before !== "ready") this.#armIdle();
    } else if (health === "initializing") {
      this.state = "initializing";
      this.#firstInitializingAt ??= now;
      clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
    } else {
      this.state = "unhealthy";
      this.#unhealthyReason =
        status === undefined
          ? `no answer to GET ${this.#o.healthPath} on port ${this.healthPort}`
          : `GET ${this.#o.healthPath} answered ${status}`;
      this.#armGrace();
    }
    if (this.state !== before || this.#unhealthyReason !== reason) this.#hooks.changed(this);
  }

  /**
   * One timer per idle stretch, not one per request: when it fires early (requests came and
   * went meanwhile) it waits out the rest from the last request.
   */
  #armIdle(): void {
    if (this.#idleTimer !== undefined || this.inFlight > 0 || this.state !== "ready") return;
    const since = this.lastRequestAt ?? this.#readyAt ?? Date.now();
    const left = Math.max(0, since + this.#o.workers.idleTimeoutMs - Date.now());
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.inFlight > 0 || this.state !== "ready") return;
      const last = this.lastRequestAt ?? this.#readyAt ?? 0;
      if (Date.now() - last >= this.#o.workers.idleTimeoutMs) this.#hooks.idle(this);
      else this.#armIdle();
    }, left);
  }

  /** Started once per stretch of being unroutable; ends with 200 or 204. */
  #armGrace(): void {
    if (this.#graceTimer !== undefined) return;
    this.#graceTimer = setTimeout(() => this.#hooks.graceOver(this), this.#o.unhealthyGraceMs);
  }

  #stopTimers(): void {
    for (const t of [this.#pollTimer, this.#idleTimer, this.#graceTimer, this.#startupTimer]) {
      clearTimeout(t);
    }
  }
}
