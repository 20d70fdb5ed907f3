import type { BatchStore } from "./batch-store.js";
import type { JobStore } from "./job-store.js";
import type { LbEndpoints } from "./load-balancer/endpoints.js";
import type { ResolvedOptions } from "./options.js";
import type { WorkerRegistry } from "./worker-registry.js";

/**
 * What the routes share: the queue and state machine, the batches, the workers, the settings, and
 * for the REST v2 view the load-balancing endpoints, the platform's URL and its start time.
 */
export interface PlatformCore {
  store: JobStore;
  batches: BatchStore;
  workers: WorkerRegistry;
  options: ResolvedOptions;
  loadBalancers: LbEndpoints;
  /** The platform's base URL, e.g. `http://127.0.0.1:8000` (known once it listens). */
  url: () => string;
  /** Epoch milliseconds: the queue endpoint's `createdAt`. */
  startedAt: number;
}
