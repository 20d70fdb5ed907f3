import type { EndpointHealth } from "../protocol/status.js";
import type { EventBus, WorkerSnapshot } from "./events.js";
import type { Hangup } from "./hangup.js";
import { KeyedWaiters } from "./waiters.js";

interface WorkerEntry {
  id: string;
  lastSeen: number;
  jobs: Set<string>;
  /** Requests from it being held right now (job-take, job-stop): it is alive while they are. */
  openPolls: number;
  unhealthyReason?: string;
  unhealthy: boolean;
  version?: string;
  refreshRequested: boolean;
  /** Ids waiting to be delivered on its job-stop channel. */
  pendingStops: string[];
}

/**
 * Workers known from their pings and job-takes, their running jobs, and their job-stop channels
 * (§A.8). A worker not heard from for `staleMs`, with no request held and no job, is forgotten.
 */
export class WorkerRegistry {
  readonly #workers = new Map<string, WorkerEntry>();
  readonly #stopWaiters = new KeyedWaiters<string, true>();
  readonly #staleMs: number;
  readonly #events: EventBus;

  constructor(staleMs: number, events: EventBus) {
    this.#staleMs = staleMs;
    this.#events = events;
  }

  #entry(id: string): WorkerEntry {
    let w = this.#workers.get(id);
    if (!w) {
      w = {
        id,
        lastSeen: Date.now(),
        jobs: new Set(),
        openPolls: 0,
        unhealthy: false,
        refreshRequested: false,
        pendingStops: [],
      };
      this.#workers.set(id, w);
    }
    return w;
  }

  #changed(w: WorkerEntry): void {
    if (this.#events.active) this.#events.emit({ type: "worker", worker: snapshot(w) });
  }

  /** Any request from the worker. */
  seen(id: string): void {
    const isNew = !this.#workers.has(id);
    const w = this.#entry(id);
    w.lastSeen = Date.now();
    if (isNew) this.#changed(w);
  }

  /** A heartbeat: `status=unhealthy` marks it unhealthy until a normal ping arrives. */
  ping(id: string, report: { version?: string; unhealthy?: string }): void {
    const isNew = !this.#workers.has(id);
    const w = this.#entry(id);
    w.lastSeen = Date.now();
    const wasUnhealthy = w.unhealthy;
    if (report.version !== undefined) w.version = report.version;
    w.unhealthy = report.unhealthy !== undefined;
    if (report.unhealthy !== undefined) w.unhealthyReason = report.unhealthy;
    else delete w.unhealthyReason;
    if (isNew || wasUnhealthy !== w.unhealthy) this.#changed(w);
  }

  /** Wraps a held request so the worker counts as alive while it waits. */
  async holding<T>(id: string, poll: () => Promise<T>): Promise<T> {
    // A worker that only long-polls (no ping yet) is still a worker observers should see.
    const isNew = !this.#workers.has(id);
    const w = this.#entry(id);
    w.openPolls++;
    w.lastSeen = Date.now();
    if (isNew) this.#changed(w);
    try {
      return await poll();
    } finally {
      w.openPolls--;
      w.lastSeen = Date.now();
    }
  }

  jobStarted(workerId: string, jobId: string): void {
    const w = this.#entry(workerId);
    w.jobs.add(jobId);
    if (w.jobs.size === 1) this.#changed(w);
  }

  jobEnded(workerId: string, jobId: string): void {
    const w = this.#workers.get(workerId);
    if (w?.jobs.delete(jobId) && w.jobs.size === 0) this.#changed(w);
  }

  requestRefresh(workerId: string): void {
    const w = this.#entry(workerId);
    if (!w.refreshRequested) {
      w.refreshRequested = true;
      this.#changed(w);
    }
  }

  /** Queues `jobId` on the worker's job-stop channel and wakes its held request, if any. */
  pushStop(workerId: string, jobId: string): void {
    this.#entry(workerId).pendingStops.push(jobId);
    this.#stopWaiters.notify(workerId, true);
  }

  /** The job-stop long poll: pending ids now, or the first ones pushed within `holdMs`. */
  async takeStops(workerId: string, holdMs: number, signal?: Hangup): Promise<string[]> {
    const w = this.#entry(workerId);
    if (w.pendingStops.length === 0) await this.#stopWaiters.wait(workerId, holdMs, signal);
    // An aborted request must not swallow ids its worker never received.
    if (signal?.aborted) return [];
    return w.pendingStops.splice(0);
  }

  #sweep(now: number): void {
    for (const w of this.#workers.values()) {
      if (w.openPolls === 0 && w.jobs.size === 0 && now - w.lastSeen > this.#staleMs) {
        this.#workers.delete(w.id);
        if (this.#events.active) this.#events.emit({ type: "worker-removed", id: w.id });
      }
    }
  }

  list(): WorkerSnapshot[] {
    this.#sweep(Date.now());
    return [...this.#workers.values()].map(snapshot);
  }

  counts(): EndpointHealth["workers"] {
    const counts = { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 0, unhealthy: 0 };
    for (const w of this.list()) counts[w.state]++;
    return counts;
  }

  /** job-stop requests being held. */
  get heldRequests(): number {
    return this.#stopWaiters.size;
  }

  close(): void {
    this.#stopWaiters.closeAll();
  }
}

function snapshot(w: WorkerEntry): WorkerSnapshot {
  const s: WorkerSnapshot = {
    id: w.id,
    state: w.unhealthy ? "unhealthy" : w.jobs.size > 0 ? "running" : "idle",
    jobs: [...w.jobs],
    lastSeen: w.lastSeen,
    refreshRequested: w.refreshRequested,
  };
  if (w.version !== undefined) s.version = w.version;
  if (w.unhealthyReason !== undefined) s.unhealthyReason = w.unhealthyReason;
  return s;
}
