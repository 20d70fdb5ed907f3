import type { JobState } from "../protocol/job-states.js";
import type { JobStatus } from "../protocol/status.js";
import type {
  LbEndpointSnapshot,
  LbRequestRecord,
  LbWorkerRemoval,
  LbWorkerSnapshot,
} from "./load-balancer/snapshots.js";

/** A job as observers see it: its status object plus what was submitted. */
export interface JobSnapshot extends JobStatus {
  input: unknown;
  webhook?: string;
  /** Submitted through `/runsync`. */
  sync: boolean;
  /** Epoch milliseconds of submission. */
  createdAt: number;
}

export type WorkerHealthState = "idle" | "running" | "unhealthy";

/** A worker the platform has heard from (pings and job-takes). */
export interface WorkerSnapshot {
  id: string;
  state: WorkerHealthState;
  /** Jobs this worker is running now. */
  jobs: string[];
  /** Epoch milliseconds of the last request from it. */
  lastSeen: number;
  /** `runpod_version` from its pings, when it sent one. */
  version?: string;
  /** Why it reported itself unhealthy (`check: reason` of an unhealthy ping). */
  unhealthyReason?: string;
  /** It posted `stopPod: true`: production would replace it; locally this is only reported. */
  refreshRequested: boolean;
}

/**
 * Everything that changes on the platform, in order. A dashboard can forward these as Server-Sent
 * Events; tests can await them instead of sleeping.
 */
export type PlatformEvent =
  | { type: "job"; job: JobSnapshot; previous?: JobState }
  | { type: "job-removed"; id: string; reason: "ttl" | "retention" | "purged" }
  | { type: "stream-chunk"; id: string; chunk: { output: unknown; [key: string]: unknown } }
  | { type: "worker"; worker: WorkerSnapshot }
  | { type: "worker-removed"; id: string }
  | { type: "webhook"; id: string; url: string; attempt: number; ok: boolean; status?: number }
  | { type: "lb-endpoint"; endpoint: LbEndpointSnapshot }
  | { type: "lb-worker"; worker: LbWorkerSnapshot }
  | { type: "lb-worker-removed"; id: string; endpointId: string; reason: LbWorkerRemoval }
  | { type: "lb-request"; request: LbRequestRecord };

export type PlatformListener = (event: PlatformEvent) => void;

export class EventBus {
  readonly #listeners = new Set<PlatformListener>();

  /** Calls `listener` for every later event; returns the function that stops it. */
  subscribe(listener: PlatformListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A throwing listener is isolated: it must not break the request that caused the event. */
  emit(event: PlatformEvent): void {
    if (this.#listeners.size === 0) return;
    for (const l of [...this.#listeners]) {
      try {
        l(event);
      } catch {
        // Observers are outside our control; the platform keeps going.
      }
    }
  }

  get active(): boolean {
    return this.#listeners.size > 0;
  }
}
