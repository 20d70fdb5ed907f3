/** `runpod-ts/serverless`: the worker runtime and the local platform. */

import type { LocalPlatform, LocalPlatformOptions } from "./local/index.js";

export * from "../core/index.js";
export type { Job } from "../protocol/index.js";
export {
  type FormatWorkerEnvOptions,
  formatWorkerEnv,
} from "../protocol/webhook-env.js";
export type {
  JobSnapshot,
  LocalPlatform,
  LocalPlatformOptions,
  PlatformEvent,
  PlatformListener,
  WorkerSnapshot,
} from "./local/index.js";

/**
 * Starts the local platform (a queue and job state machine behind the public endpoint API and
 * the worker-facing API). Hono is loaded on this first call, never by a production worker.
 */
export async function createLocalPlatform(options?: LocalPlatformOptions): Promise<LocalPlatform> {
  const local = await import("./local/index.js");
  return local.createLocalPlatform(options);
}
