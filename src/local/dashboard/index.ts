import type { Hono } from "hono";
import type { EndpointHealth } from "../../protocol/status.js";
import type { JobSnapshot, PlatformListener, WorkerSnapshot } from "../events.js";
import type { LbEndpointSnapshot, LbWorkerSnapshot } from "../load-balancer/snapshots.js";
import { apiRoutes } from "./api-routes.js";
import { RecentRequests } from "./lb-requests.js";
import { pageRoutes } from "./page-routes.js";
import { Recorder } from "./recorder.js";

/** What the dashboard reads from the platform: the same view its `LocalPlatform` handle gives. */
export interface DashboardSource {
  endpointId: string;
  subscribe(listener: PlatformListener): () => void;
  jobs(): JobSnapshot[];
  /** One job, with its input and output. */
  job(id: string): JobSnapshot | undefined;
  workers(): WorkerSnapshot[];
  health(): EndpointHealth;
  /** The load-balancing endpoints: the `loadBalancer` option's first, then those made through REST. */
  loadBalancers(): LbEndpointSnapshot[];
  /** Their workers, each naming its endpoint. */
  lbWorkers(): LbWorkerSnapshot[];
}

export interface Dashboard {
  /** The page and its assets: public, as they hold no data (the data routes need the key). */
  mountPage(app: Hono): void;
  /** The data routes under `/_dashboard/api/`, mounted behind the platform's auth. */
  mountApi(app: Hono): void;
  /** Ends open event streams so the server can close. */
  close(): void;
}

/**
 * The local dashboard. It starts recording with the platform, so the job view can show stream
 * chunks that a client has already drained and the chart covers the minutes before the page opened.
 */
export function createDashboard(source: DashboardSource): Dashboard {
  const recorder = new Recorder();
  const requests = new RecentRequests();
  const stopRecording = source.subscribe((event) => {
    recorder.record(event);
    requests.record(event);
  });
  const streams = new Set<() => void>();
  return {
    mountPage: (app) => pageRoutes(app),
    mountApi: (app) => apiRoutes(app, { source, recorder, requests, streams }),
    close() {
      stopRecording();
      for (const end of [...streams]) end();
    },
  };
}
