import type { LoadBalancerWorkerStatus } from "../../protocol/load-balancing.js";

/**
 * Where a load-balancer worker is in its life: `starting` (no health answer yet), then what its
 * health answers say (§2.2: 204 `initializing`, 200 `ready`, anything else or silence after
 * answering `unhealthy`), and `stopping` once it was sent SIGTERM (no longer routed).
 */
export type LbWorkerState = "starting" | "initializing" | "ready" | "unhealthy" | "stopping";

/** A load-balancer worker as observers (tests, the dashboard, the CLI) see it. */
export interface LbWorkerSnapshot {
  /** What `X-Runpod-Worker-Id` names: unique on the platform, as production's worker ids are. */
  id: string;
  /** The load-balancing endpoint it serves. */
  endpointId: string;
  pid?: number;
  /** `PORT` and `PORT_HEALTH` it was given. */
  port: number;
  healthPort: number;
  state: LbWorkerState;
  /** REST v2's `WorkerStatus` for this state and load (§10.18); `undefined` while stopping. */
  status?: LoadBalancerWorkerStatus;
  /** Requests (and open WebSockets) on it now. */
  inFlight: number;
  /** Requests it has been given in all. */
  served: number;
  /** Epoch milliseconds of its start. */
  startedAt: number;
  /** Epoch milliseconds of its first 200. */
  readyAt?: number;
  /** Cold start as the platform's metrics define it: first 204 to first 200 (§2.2). */
  coldStartMs?: number;
  /** Epoch milliseconds of the last request it was given or finished. */
  lastRequestAt?: number;
  /** Why it is not routed: the health status it answered, or that it answered nothing. */
  unhealthyReason?: string;
}

/** A load-balancing endpoint as observers see it: the `loadBalancer` option's, or one made through REST v2. */
export interface LbEndpointSnapshot {
  id: string;
  /** Its base URL: any path under it goes to a worker. */
  url: string;
  /** Epoch milliseconds of its start. */
  createdAt: number;
}

/** Why a worker left the pool. */
export type LbWorkerRemoval = "idle" | "unhealthy" | "exited" | "closed" | "restarted";

/** One request the load balancer answered (or a WebSocket session, once it ended). */
export interface LbRequestRecord {
  /** The load-balancing endpoint that answered it. */
  endpointId: string;
  /** Sequence number on that endpoint, from 1. */
  seq: number;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The status the client got; 101 for a WebSocket session; `undefined` if cut before one. */
  status?: number;
  /** The worker that served it, when one did. */
  workerId?: string;
  /** Epoch milliseconds of its arrival. */
  startedAt: number;
  /** Waiting for a worker, in ms. */
  waitMs: number;
  /** Arrival to the end of the response, in ms. */
  durationMs: number;
  /** What went wrong, when the load balancer answered itself or cut the response. */
  error?: string;
}
