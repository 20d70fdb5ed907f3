import type { BatchStore } from "./batch-store.js";
import type { JobStore } from "./job-store.js";
import type { ResolvedOptions } from "./options.js";
import type { WorkerRegistry } from "./worker-registry.js";

/** What the routes share: the queue and state machine, the batches, the workers, and the settings. */
export interface PlatformCore {
  store: JobStore;
  batches: BatchStore;
  workers: WorkerRegistry;
  options: ResolvedOptions;
}
