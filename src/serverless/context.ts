/** The ambient job context: `serverless.currentJob()` anywhere in a handler's async call tree. */
import { AsyncLocalStorage } from "node:async_hooks";
import type { JobContext } from "./types.js";

export const jobStorage = new AsyncLocalStorage<JobContext<unknown>>();

/** The context of the job whose handler is running here, or `undefined` outside a handler. */
export function currentJob<Input = unknown>(): JobContext<Input> | undefined {
  return jobStorage.getStore() as JobContext<Input> | undefined;
}
