import type { JobStore } from "./job-store.js";
import type { ResolvedOptions } from "./options.js";
import type { WorkerRegistry } from "./worker-registry.js";

/** What the routes share: the queue and state machine, the workers, and the settings. */
export interface PlatformCore {
  store: JobStore;
  workers: WorkerRegistry;
  options: ResolvedOptions;
}
