/**
 * The worker's command-line flags (§A.11.2), parsed like Python's `parse_known_args`: recognised
 * flags are taken (as `--flag value` or `--flag=value`), anything else is left alone.
 */
import { ValidationError } from "../core/errors.js";

export interface WorkerFlags {
  /** `--test_input '<json>'`: run one job locally and exit (§A.11.1). */
  testInput?: unknown;
  /** `--rp_serve_api`: start the local platform and run this worker against it. */
  serveApi: boolean;
  /** `--rp_api_port` (default 8000). */
  apiPort: number;
  /** `--rp_api_host` (default `127.0.0.1`: local servers stay on loopback unless told otherwise). */
  apiHost: string;
  /** `--rp_api_concurrency`: worker concurrency in serve-api mode; unset keeps `concurrency`. */
  apiConcurrency?: number;
  /** `--no-dashboard`: serve-api mode without the dashboard at `/`. */
  dashboard: boolean;
  /** `--rp_log_level`: overrides `RUNPOD_LOG_LEVEL`. */
  logLevel?: string;
}

const VALUE_FLAGS = new Set([
  "--test_input",
  "--rp_api_port",
  "--rp_api_host",
  "--rp_api_concurrency",
  "--rp_log_level",
]);
const BOOLEAN_FLAGS = new Set(["--rp_serve_api", "--no-dashboard"]);
/**
 * runpod-python's flags that this worker does not implement: refused by name rather than ignored
 * like other unknown arguments, so nobody waits for output that never comes.
 */
const UNSUPPORTED_FLAGS: Record<string, string> = {
  "--rp_debugger":
    "not supported by runpod-ts (runpod-python's per-job timings); time the handler's steps with ctx.log",
};

function bad(flag: string, message: string): ValidationError {
  return new ValidationError(`command-line flag ${flag}`, [{ path: [], message }]);
}

function port(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > 65_535) {
    throw bad(flag, `expected an integer from ${min} to 65535, got "${raw}"`);
  }
  return n;
}

/** Parses the flags in `argv` (without the node and script paths). */
export function parseWorkerFlags(argv: readonly string[]): WorkerFlags {
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const unsupported = UNSUPPORTED_FLAGS[name];
    if (unsupported !== undefined) throw bad(name, unsupported);
    if (BOOLEAN_FLAGS.has(name)) booleans.add(name);
    else if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw bad(name, "expected a value after it");
      values.set(name, value);
    }
  }
  const flags: WorkerFlags = {
    serveApi: booleans.has("--rp_serve_api"),
    dashboard: !booleans.has("--no-dashboard"),
    apiPort: port("--rp_api_port", values.get("--rp_api_port") ?? "8000", 0),
    apiHost: values.get("--rp_api_host") ?? "127.0.0.1",
  };
  const concurrency = values.get("--rp_api_concurrency");
  if (concurrency !== undefined)
    flags.apiConcurrency = port("--rp_api_concurrency", concurrency, 1);
  const testInput = values.get("--test_input");
  if (testInput !== undefined) {
    try {
      flags.testInput = JSON.parse(testInput);
    } catch (error) {
      throw bad("--test_input", `not valid JSON (${(error as Error).message})`);
    }
  }
  const level = values.get("--rp_log_level");
  if (level !== undefined) flags.logLevel = level;
  return flags;
}
