/** The ambient job context: `serverless.currentJob()` anywhere in a handler's async call tree. */
import { AsyncLocalStorage } from "node:async_hooks";
import type { JobContext } from "./types.js";

/**
 * One store for the process, under a `Symbol.for` key, not one per copy of this module: the CJS
 * build has a file per entry, and an app whose ESM code imports `runpod-ts` while a CommonJS
 * dependency requires it loads two copies. A handler run by one copy's worker must still see its
 * job through the other copy's `currentJob()` (scripts/check-package.mjs checks both ways).
 */
const STORE = Symbol.for("runpod-ts.job-context");
const shared = globalThis as { [STORE]?: AsyncLocalStorage<JobContext<unknown>> };
shared[STORE] ??= new AsyncLocalStorage<JobContext<unknown>>();

export const jobStorage: AsyncLocalStorage<JobContext<unknown>> = shared[STORE];

/** The context of the job whose handler is running here, or `undefined` outside a handler. */
export function currentJob<Input = unknown>(): JobContext<Input> | undefined {
  return jobStorage.getStore() as JobContext<Input> | undefined;
}
