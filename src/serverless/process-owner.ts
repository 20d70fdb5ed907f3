/**
 * One worker runtime owns the process (signals, exit code, stray-error handlers): a second
 * `start()` or `serve()` in the same process is a mistake to report, not to half-run.
 */
import { RunpodError } from "../core/errors.js";
import type { WorkerLog } from "./log.js";

let owner: string | undefined;

/** Claims the process for `what` (`"serverless.start()"`…); throws if something already did. */
export function claimProcess(what: string): void {
  if (owner !== undefined) throw new RunpodError(`${owner} was already called in this process`);
  owner = what;
}

/** Bad app behaviour outside a job or request (timers, emitters) must not kill the worker. */
export function keepAliveOnStrayErrors(log: WorkerLog): void {
  process.on("uncaughtException", (error) => {
    log.error(`Uncaught exception (the worker keeps running): ${error?.stack ?? String(error)}`);
  });
  process.on("unhandledRejection", (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log.error(`Unhandled promise rejection (the worker keeps running): ${text}`);
  });
}
