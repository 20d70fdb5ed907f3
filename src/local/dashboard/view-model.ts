import type { WorkerErrorDetails } from "../../core/job-errors.js";
import type { JobState } from "../../protocol/job-states.js";
import type { EndpointHealth } from "../../protocol/status.js";
import type { JobSnapshot, PlatformEvent, WorkerSnapshot } from "../events.js";
import type {
  LbEndpointSnapshot,
  LbRequestRecord,
  LbWorkerSnapshot,
} from "../load-balancer/snapshots.js";
import type { ChunkEntry, JobHistory, Metrics, Recorder, WebhookEntry } from "./recorder.js";

/** A row of the jobs table: the status object without input and output, which can be large. */
export interface JobSummary {
  id: string;
  status: JobState;
  delayTime?: number;
  executionTime?: number;
  workerId?: string;
  retries?: number;
  sync: boolean;
  createdAt: number;
}

/** What the page needs to draw everything but a job's details. */
export interface DashboardState {
  endpointId: string;
  /** The platform's clock, so the page can show ages even if the browser's clock differs. */
  now: number;
  health: EndpointHealth;
  jobs: JobSummary[];
  workers: WorkerSnapshot[];
  metrics: Metrics;
  /** The load-balancing endpoints' view, when the platform runs one. */
  loadBalancer?: LoadBalancerView;
}

/**
 * The load-balancing endpoints (the `loadBalancer` option's first), their workers and their
 * latest requests (newest last); workers and requests name their endpoint.
 */
export interface LoadBalancerView {
  endpoints: LbEndpointSnapshot[];
  workers: LbWorkerSnapshot[];
  requests: LbRequestRecord[];
}

/** Sent after changes and on a timer, so counts, last-seen times and the chart stay fresh. */
export type DashboardOverview = Omit<DashboardState, "jobs" | "endpointId">;

/** The job view: the full snapshot, its history, and the worker's error parsed when it is JSON. */
export interface JobDetails {
  job: JobSnapshot;
  errorDetails?: WorkerErrorDetails;
  history: JobHistory;
}

/** One change the page applies to its copy of the state. */
export type DashboardChange =
  | { type: "job"; job: JobSummary }
  | { type: "job-removed"; id: string }
  | ({ type: "chunk" | "progress"; id: string } & ChunkEntry)
  | ({ type: "webhook"; id: string } & WebhookEntry)
  | { type: "worker"; worker: WorkerSnapshot }
  | { type: "worker-removed"; id: string }
  | { type: "lb-endpoint"; endpoint: LbEndpointSnapshot }
  | { type: "lb-worker"; worker: LbWorkerSnapshot }
  | { type: "lb-worker-removed"; id: string }
  | { type: "lb-request"; request: LbRequestRecord };

export function summarize(job: JobSnapshot): JobSummary {
  const s: JobSummary = {
    id: job.id,
    status: job.status,
    sync: job.sync,
    createdAt: job.createdAt,
  };
  if (job.delayTime !== undefined) s.delayTime = job.delayTime;
  if (job.executionTime !== undefined) s.executionTime = job.executionTime;
  if (job.workerId !== undefined) s.workerId = job.workerId;
  if (job.retries !== undefined) s.retries = job.retries;
  return s;
}

/**
 * The platform event as the page wants it. History entries (chunks, progress, webhook attempts) are
 * the recorder's own, with their `seq`: the recorder subscribes when the platform starts, before any
 * event stream, and listeners run in subscription order, so it has already recorded the event.
 */
export function toChange(event: PlatformEvent, recorder: Recorder): DashboardChange[] {
  switch (event.type) {
    case "job": {
      const changes: DashboardChange[] = [{ type: "job", job: summarize(event.job) }];
      const progress = recorder.latest(event.job.id, "progress");
      if (event.previous === "IN_PROGRESS" && event.job.status === "IN_PROGRESS" && progress) {
        changes.push({ type: "progress", id: event.job.id, ...progress });
      }
      return changes;
    }
    case "job-removed":
      return [{ type: "job-removed", id: event.id }];
    case "stream-chunk": {
      const chunk = recorder.latest(event.id, "chunks");
      return chunk ? [{ type: "chunk", id: event.id, ...chunk }] : [];
    }
    case "webhook": {
      const attempt = recorder.latest(event.id, "webhooks");
      return attempt ? [{ type: "webhook", id: event.id, ...attempt }] : [];
    }
    case "worker":
      return [{ type: "worker", worker: event.worker }];
    case "worker-removed":
      return [{ type: "worker-removed", id: event.id }];
    case "lb-endpoint":
      return [{ type: "lb-endpoint", endpoint: event.endpoint }];
    case "lb-worker":
      return [{ type: "lb-worker", worker: event.worker }];
    case "lb-worker-removed":
      return [{ type: "lb-worker-removed", id: event.id }];
    case "lb-request":
      return [{ type: "lb-request", request: event.request }];
  }
}
