import type { Logger } from "../../core/logger.js";
import { retryDelay } from "../../core/retry-policy.js";
import {
  LB_ERROR,
  LB_STATUS,
  targetWorkerCount,
  type WorkerAffinity,
} from "../../protocol/load-balancing.js";
import type { EventBus } from "../events.js";
import { freePort } from "./free-port.js";
import { LbWorker, type LbWorkerHooks } from "./lb-worker.js";
import type { ResolvedLoadBalancerOptions } from "./options.js";
import type { LbWorkerRemoval, LbWorkerSnapshot } from "./snapshots.js";

/** The load balancer's own answer instead of a worker: a status and an `{"error"}` reason. */
export interface Refusal {
  status: number;
  error: string;
}

/** A request's turn for a worker, resolved with the worker or with the refusal to send. */
export interface Wait {
  readonly result: Promise<LbWorker | Refusal>;
  /** The client went away: stop waiting (its place no longer asks for a worker). */
  cancel(): void;
}

type Pin = Required<WorkerAffinity>;

interface Waiter {
  pin: Pin | undefined;
  settle(result: LbWorker | Refusal): void;
}

/** A worker that crashes before it was ever ready is replaced after a growing pause. */
const CRASH_BACKOFF = { baseMs: 500, capMs: 30_000 };

const refusal = (status: number, error: string): Refusal => ({ status, error });
const NO_WORKERS = refusal(LB_STATUS.noWorkersAvailable, LB_ERROR.noWorkersAvailable);
const GONE = refusal(LB_STATUS.affinityWorkerGone, LB_ERROR.affinityWorkerGone);
const WORKER_TIMEOUT = refusal(LB_STATUS.workerTimeout, LB_ERROR.workerTimeout);

export function isRefusal(value: LbWorker | Refusal): value is Refusal {
  return !(value instanceof LbWorker);
}

/**
 * The workers behind the local load balancer and who gets which: least-loaded ready worker
 * first (least recently used among equals), affinity as in §5.2, requests held while none is
 * ready (§10.7), request-count scaling between `min` and `max` with the idle timeout (§10.14),
 * and a misconfigured worker answered with 502 until its grace runs out (§10.15).
 */
export class LbPool {
  readonly #o: ResolvedLoadBalancerOptions;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #events: EventBus;
  readonly #logger: Logger;
  readonly #workers = new Map<string, LbWorker>();
  /** Ids being started (their ports are being found); counted as live. */
  readonly #starting = new Set<string>();
  /** Ids scaled down for idleness, which `strict-resume` may start again under the same id. */
  readonly #resumable = new Set<string>();
  /** Ids drained by `restart`, so their removal is reported as such. */
  readonly #restarted = new Set<string>();
  readonly #waiters = new Set<Waiter>();
  readonly #exits = new Set<Promise<unknown>>();
  readonly #newWorkerId: () => string;
  #closed = false;
  #crashes = 0;
  #respawnAfter = 0;
  #respawnTimer: NodeJS.Timeout | undefined;
  #dispatching = false;
  #again = false;
  readonly #hooks: LbWorkerHooks;

  constructor(
    options: ResolvedLoadBalancerOptions,
    env: Readonly<Record<string, string | undefined>>,
    events: EventBus,
    logger: Logger,
    newWorkerId: () => string,
  ) {
    this.#o = options;
    this.#newWorkerId = newWorkerId;
    this.#env = env;
    this.#events = events;
    this.#logger = logger;
    this.#hooks = {
      changed: (w) => {
        if (w.state === "ready") this.#crashes = 0;
        this.#emit(w);
        // The common case, a request taken or released with nobody waiting, needs only a
        // scaling check; the full pass hands freed or new capacity to waiting requests.
        if (this.#waiters.size > 0 || this.#dispatching) this.#dispatch();
        else this.#scale();
      },
      idle: (w) => {
        if (this.#live() <= this.#o.workers.min) return;
        this.#resumable.add(w.id);
        this.#stop(w);
      },
      graceOver: (w) => {
        this.#logger.warn(
          `load balancer: worker ${w.id} did not turn healthy within the grace period; stopping it`,
        );
        this.#stop(w);
      },
      exited: (w, code, signal) => this.#exited(w, code, signal),
    };
  }

  /** Starts the `min` workers. */
  start(): void {
    this.#scale();
  }

  /**
   * A worker for a request right now, the refusal to send, or `undefined` when the request has to
   * wait (then call `wait`). Taking a worker counts the request on it until `release`.
   */
  take(pin: Pin | undefined): LbWorker | Refusal | undefined {
    if (this.#closed) return NO_WORKERS;
    if (pin !== undefined && pin.affinity !== "soft") return this.#takePinned(pin);
    const preferred = pin && this.#workers.get(pin.id);
    const worker = preferred?.routable ? preferred : this.#pick();
    if (worker === undefined) return undefined;
    worker.take();
    return worker;
  }

  /** Holds the request until a worker can take it or its wait runs out. */
  wait(pin: Pin | undefined): Wait {
    let settle!: (result: LbWorker | Refusal) => void;
    const result = new Promise<LbWorker | Refusal>((resolve) => {
      settle = resolve;
    });
    const strict = pin !== undefined && pin.affinity !== "soft";
    const waiter: Waiter = {
      pin,
      settle: (r) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        settle(r);
      },
    };
    const timer = setTimeout(
      () => waiter.settle(strict ? WORKER_TIMEOUT : NO_WORKERS),
      strict ? this.#o.affinityWaitMs : this.#o.requestTimeoutMs,
    );
    this.#waiters.add(waiter);
    this.#dispatch();
    return {
      result,
      cancel: () => {
        if (!this.#waiters.has(waiter)) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        this.#dispatch();
      },
    };
  }

  release(worker: LbWorker): void {
    worker.release();
  }

  snapshots(): LbWorkerSnapshot[] {
    return [...this.#workers.values()].map((w) => w.snapshot());
  }

  /** How many requests wait for a worker now. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Refuses waiting and new requests, drains every worker (SIGTERM: in-flight requests finish)
   * and resolves once all their processes have exited.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#respawnTimer);
    for (const w of [...this.#waiters]) w.settle(NO_WORKERS);
    for (const w of this.#workers.values()) this.#stop(w);
    while (this.#exits.size > 0 || this.#starting.size > 0) {
      await Promise.all([...this.#exits]);
      // A worker whose ports were being found when close began is stopped as it appears.
      if (this.#starting.size > 0) await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * Replaces every worker with a fresh process (the worker's code changed): each current one
   * leaves routing at once and drains (SIGTERM: in-flight requests finish), and scaling starts
   * its replacements right away, so for a moment old and new processes overlap. Resolves once
   * the old ones have exited.
   */
  async restart(): Promise<void> {
    const old = [...this.#workers.values()].filter((w) => w.state !== "stopping");
    for (const w of old) {
      this.#restarted.add(w.id);
      this.#resumable.delete(w.id);
      this.#stop(w);
    }
    await Promise.all(old.map((w) => w.process.exited));
  }

  /** SIGKILL to every worker now: for this process's exit, when nothing can be awaited. */
  killAll(): void {
    for (const w of this.#workers.values()) w.process.killNow();
  }

  #takePinned(pin: Pin): LbWorker | Refusal | undefined {
    const worker = this.#workers.get(pin.id);
    if (worker === undefined) {
      if (this.#starting.has(pin.id)) return undefined;
      if (pin.affinity === "strict-resume" && this.#resumable.has(pin.id)) {
        this.#spawn(pin.id);
        return undefined;
      }
      return GONE;
    }
    if (worker.state === "stopping") return GONE;
    if (!worker.routable) return undefined;
    worker.take();
    return worker;
  }

  /** The least loaded routable worker; among equals, the one given a request longest ago. */
  #pick(): LbWorker | undefined {
    let best: LbWorker | undefined;
    for (const w of this.#workers.values()) {
      if (!w.routable) continue;
      if (
        best === undefined ||
        w.inFlight < best.inFlight ||
        (w.inFlight === best.inFlight && w.lastAssignedAt < best.lastAssignedAt)
      ) {
        best = w;
      }
    }
    return best;
  }

  /** Hands freed or new capacity to waiting requests in arrival order, then rescales. */
  #dispatch(): void {
    if (this.#dispatching) {
      this.#again = true;
      return;
    }
    this.#dispatching = true;
    try {
      do {
        this.#again = false;
        for (const waiter of [...this.#waiters]) {
          const r = this.take(waiter.pin);
          if (r !== undefined) waiter.settle(r);
        }
        this.#scale();
        this.#refuseHopeless();
      } while (this.#again);
    } finally {
      this.#dispatching = false;
    }
  }

  /**
   * §2.3: with every worker misconfigured (nothing answers on its health port) and no room to
   * start another, nothing will serve the waiting requests: they get 502 now, not after minutes.
   */
  #refuseHopeless(): void {
    if (this.#waiters.size === 0 || this.#starting.size > 0) return;
    const live = [...this.#workers.values()].filter((w) => w.state !== "stopping");
    if (live.length === 0 || live.length < this.#o.workers.max) return;
    if (!live.every((w) => w.misconfigured)) return;
    const why = live.map((w) => `${w.id}: ${w.snapshot().unhealthyReason}`).join("; ");
    const answer = refusal(LB_STATUS.badGateway, `no worker answers its health check (${why})`);
    for (const waiter of [...this.#waiters]) {
      if (waiter.pin === undefined || waiter.pin.affinity === "soft") waiter.settle(answer);
    }
  }

  #live(): number {
    let n = this.#starting.size;
    for (const w of this.#workers.values()) if (w.state !== "stopping") n++;
    return n;
  }

  /** §10.14: `ceil((waiting + inFlight) / requestCount)` workers, within `min`..`max`. */
  #scale(): void {
    if (this.#closed) return;
    const { min, max, requestCount } = this.#o.workers;
    let inFlight = 0;
    for (const w of this.#workers.values()) if (w.state !== "stopping") inFlight += w.inFlight;
    let waiting = 0;
    for (const w of this.#waiters) if (w.pin === undefined || w.pin.affinity === "soft") waiting++;
    const target = Math.min(max, Math.max(min, targetWorkerCount(waiting, inFlight, requestCount)));
    const missing = target - this.#live();
    if (missing <= 0) return;
    const pause = this.#respawnAfter - Date.now();
    if (pause > 0) {
      this.#respawnTimer ??= setTimeout(() => {
        this.#respawnTimer = undefined;
        this.#dispatch();
      }, pause);
      return;
    }
    for (let i = 0; i < missing; i++) this.#spawn(this.#newWorkerId());
  }

  #spawn(id: string): void {
    this.#starting.add(id);
    this.#resumable.delete(id);
    const ports = this.#o.separateHealthPort
      ? Promise.all([freePort(), freePort()])
      : freePort().then((p) => [p, p] as const);
    ports
      .then(([port, healthPort]) => {
        this.#starting.delete(id);
        if (this.#closed) return;
        const worker = new LbWorker(
          {
            id,
            command: this.#o.command,
            cwd: this.#o.cwd,
            env: { ...this.#env, ...this.#o.env },
            port,
            healthPort,
            healthPath: this.#o.healthPath,
            output: this.#o.output ?? defaultOutput,
          },
          this.#o,
          this.#hooks,
        );
        this.#workers.set(id, worker);
        this.#exits.add(worker.process.exited);
        this.#emit(worker);
        this.#dispatch();
      })
      .catch((error: unknown) => {
        this.#starting.delete(id);
        this.#logger.error(`load balancer: no free port for worker ${id}`, error);
      });
  }

  #stop(worker: LbWorker): void {
    worker.stop().catch((error: unknown) => {
      this.#logger.error(`load balancer: stopping worker ${worker.id} failed`, error);
    });
  }

  #exited(worker: LbWorker, code: number | null, signal: NodeJS.Signals | null): void {
    this.#exits.delete(worker.process.exited);
    const stopped = worker.state === "stopping";
    this.#workers.delete(worker.id);
    let reason: LbWorkerRemoval = "exited";
    if (this.#closed) reason = "closed";
    else if (this.#restarted.delete(worker.id)) reason = "restarted";
    else if (this.#resumable.has(worker.id)) reason = "idle";
    else if (stopped) reason = "unhealthy";
    if (!stopped && !this.#closed) {
      const how = signal === null ? `with code ${code}` : `on ${signal}`;
      this.#logger.warn(`load balancer: worker ${worker.id} exited ${how}`);
      if (worker.snapshot().readyAt === undefined) {
        this.#respawnAfter = Date.now() + retryDelay(this.#crashes++, CRASH_BACKOFF);
      }
    }
    this.#events.emit({
      type: "lb-worker-removed",
      id: worker.id,
      endpointId: this.#o.endpointId,
      reason,
    });
    this.#dispatch();
  }

  #emit(worker: LbWorker): void {
    if (this.#events.active) this.#events.emit({ type: "lb-worker", worker: worker.snapshot() });
  }
}

/** Without an `output` option, worker lines go to this process's own streams, labelled. */
function defaultOutput(line: string, workerId: string, stream: "stdout" | "stderr"): void {
  process[stream].write(`[${workerId}] ${line}\n`);
}
