/** The page's copy of the platform's state, kept current by the event stream or by polling. */
import type { EndpointHealth } from "../../../protocol/status.js";
import type { WorkerSnapshot } from "../../events.js";
import type {
  LbEndpointSnapshot,
  LbRequestRecord,
  LbWorkerSnapshot,
} from "../../load-balancer/snapshots.js";
import type { Metrics } from "../recorder.js";
import type {
  DashboardChange,
  DashboardOverview,
  DashboardState,
  JobDetails,
  JobSummary,
} from "../view-model.js";

/** The job view's data: details from the API plus chunks and updates that arrived since. */
export interface OpenJob {
  id: string;
  details?: JobDetails;
  /** The platform answered 404: the job expired, was removed or never existed. */
  missing?: boolean;
}

export interface Model {
  endpointId: string;
  /** Platform time minus browser time, so ages are right even when the clocks differ. */
  clockOffset: number;
  health?: EndpointHealth;
  metrics?: Metrics;
  jobs: Map<string, JobSummary>;
  workers: Map<string, WorkerSnapshot>;
  /** The load-balancing endpoints by id, in the order the platform started them. */
  lbEndpoints: Map<string, LbEndpointSnapshot>;
  /** Their workers by id (unique on the platform). */
  lbWorkers: Map<string, LbWorkerSnapshot>;
  /** Their latest requests, newest last. */
  lbRequests: LbRequestRecord[];
  openJob?: OpenJob;
}

/** As many recent load-balancer requests as the platform keeps. */
const LB_REQUESTS_KEPT = 50;

export const model: Model = {
  endpointId: "",
  clockOffset: 0,
  jobs: new Map(),
  workers: new Map(),
  lbEndpoints: new Map(),
  lbWorkers: new Map(),
  lbRequests: [],
};

export function applyOverview(data: DashboardOverview): void {
  model.clockOffset = data.now - Date.now();
  model.health = data.health;
  model.metrics = data.metrics;
  model.workers = new Map(data.workers.map((w) => [w.id, w]));
  const lb = data.loadBalancer;
  model.lbEndpoints = new Map((lb?.endpoints ?? []).map((e) => [e.id, e]));
  model.lbWorkers = new Map((lb?.workers ?? []).map((w) => [w.id, w]));
  model.lbRequests = lb?.requests ?? [];
}

export function applyState(data: DashboardState): void {
  model.endpointId = data.endpointId;
  model.jobs = new Map(data.jobs.map((j) => [j.id, j]));
  applyOverview(data);
}

/** What applying a change means for the open job's details. */
export type DetailsEffect = "none" | "reload" | "reload-after-current";

/** Applies one change; says whether the open job's details need fetching again. */
export function applyChange(change: DashboardChange): DetailsEffect {
  const open = model.openJob;
  switch (change.type) {
    case "job":
      model.jobs.set(change.job.id, change.job);
      return open?.id === change.job.id ? "reload" : "none";
    case "job-removed":
      model.jobs.delete(change.id);
      return open?.id === change.id ? "reload" : "none";
    case "chunk":
    case "progress":
    case "webhook": {
      if (open?.id !== change.id) return "none";
      // A details request in flight may predate this entry: ask for a fresh copy after it.
      let effect: DetailsEffect = "reload-after-current";
      if (open.details) {
        const history = open.details.history;
        const list: { seq: number }[] =
          change.type === "chunk"
            ? history.chunks
            : change.type === "progress"
              ? history.progress
              : history.webhooks;
        // The details snapshot may already hold this entry (it was taken after the change was
        // queued): append only the one that comes next; after a gap, fetch a fresh copy.
        const last = list.at(-1);
        const next = last ? last.seq + 1 : 0;
        if (change.seq === next) list.push(change);
        else if (change.seq > next) effect = "reload";
      }
      return effect;
    }
    case "worker":
      model.workers.set(change.worker.id, change.worker);
      return "none";
    case "worker-removed":
      model.workers.delete(change.id);
      return "none";
    case "lb-endpoint":
      model.lbEndpoints.set(change.endpoint.id, change.endpoint);
      return "none";
    case "lb-worker":
      model.lbWorkers.set(change.worker.id, change.worker);
      return "none";
    case "lb-worker-removed":
      model.lbWorkers.delete(change.id);
      return "none";
    case "lb-request": {
      // The overview that follows carries the same list; until then, the request shows at once.
      // Each endpoint numbers its own requests.
      const { endpointId, seq } = change.request;
      if (!model.lbRequests.some((r) => r.seq === seq && r.endpointId === endpointId)) {
        model.lbRequests.push(change.request);
        if (model.lbRequests.length > LB_REQUESTS_KEPT) model.lbRequests.shift();
      }
      return "none";
    }
  }
}
