import { pythonJsonDumps } from "./python-json.js";

/** The fields of the worker's error string (§A.4), in their wire order. */
export interface WorkerErrorFields {
  errorType: string;
  errorMessage: string;
  errorTraceback: string;
  hostname: string;
  workerId: string;
  runpodVersion: string;
}

/**
 * The `error` string of a failed job: `json.dumps` (ASCII-escaped, Python separators) of an object
 * with keys `error_type`, `error_message`, `error_traceback`, `hostname`, `worker_id`,
 * `runpod_version`, in that order. `parseWorkerError` in src/core reads it back.
 */
export function workerErrorString(fields: WorkerErrorFields): string {
  return pythonJsonDumps(
    {
      error_type: fields.errorType,
      error_message: fields.errorMessage,
      error_traceback: fields.errorTraceback,
      hostname: fields.hostname,
      worker_id: fields.workerId,
      runpod_version: fields.runpodVersion,
    },
    { ensureAscii: true },
  );
}

/**
 * Type, message and stack of anything a handler threw. Non-Error values (strings, objects,
 * `undefined`) get a message that says so, since they carry no stack.
 */
export function describeThrown(thrown: unknown): {
  errorType: string;
  errorMessage: string;
  errorTraceback: string;
} {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name || thrown.constructor?.name || "Error",
      errorMessage: thrown.message,
      errorTraceback: thrown.stack ?? `${thrown.name}: ${thrown.message}`,
    };
  }
  let shown: string;
  try {
    shown = typeof thrown === "string" ? JSON.stringify(thrown) : String(thrown);
    if (typeof thrown === "object" && thrown !== null) shown = JSON.stringify(thrown) ?? shown;
  } catch {
    shown = Object.prototype.toString.call(thrown);
  }
  const kind = thrown === null ? "null" : typeof thrown;
  return {
    errorType: "NonErrorThrown",
    errorMessage: `the handler threw a non-Error value (${kind}): ${shown}`,
    errorTraceback: "(no stack trace: only Error objects carry one; throw new Error(...) instead)",
  };
}
