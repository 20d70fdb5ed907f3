import { parseWorkerError } from "../../../core/job-errors.js";
import type { Logger } from "../../../core/logger.js";
import type { PlatformListener } from "../../../local/index.js";

/** The platform's own log lines (webhook failures, internal errors), labelled. */
export function platformLogger(say: (text: string) => void): Logger {
  const line =
    (level: string) =>
    (message: string, ...meta: unknown[]) =>
      say([`${level}: ${message}`, ...meta.map(String)].join(" "));
  return { debug: () => {}, info: line("info"), warn: line("warn"), error: line("error") };
}

/**
 * What happens on the platform, one line per job state change, per worker that appears, turns
 * unhealthy or goes, and per webhook attempt. A worker going idle and busy with each job is left
 * out: the job lines already say it.
 */
export function reportEvents(say: (text: string) => void): PlatformListener {
  const workerStates = new Map<string, string>();
  return (event) => {
    switch (event.type) {
      case "job": {
        const { job } = event;
        const took = job.executionTime === undefined ? "" : ` (${job.executionTime} ms)`;
        const details = parseWorkerError(job.error);
        const why =
          job.error === undefined ? "" : `: ${details?.errorMessage ?? String(job.error)}`;
        say(`job ${job.id} ${job.status}${job.status === "IN_PROGRESS" ? "" : took}${why}`);
        return;
      }
      case "job-removed":
        say(`job ${event.id} removed (${event.reason})`);
        return;
      case "worker": {
        const { id, state } = event.worker;
        const before = workerStates.get(id);
        workerStates.set(id, state);
        if (before === undefined) say(`worker ${id} connected (${state})`);
        else if (state === "unhealthy" && before !== state) {
          say(`worker ${id} is unhealthy: ${event.worker.unhealthyReason ?? "no reason given"}`);
        }
        return;
      }
      case "worker-removed":
        workerStates.delete(event.id);
        say(`worker ${event.id} is gone`);
        return;
      case "webhook": {
        const result = event.ok
          ? "delivered"
          : `failed${event.status ? ` (HTTP ${event.status})` : ""}`;
        say(`webhook for job ${event.id} to ${event.url}: ${result} (attempt ${event.attempt})`);
        return;
      }
      case "stream-chunk":
        return;
    }
  };
}
