/**
 * User fitness checks (§A.10.2): registered at import time, run once in order before the
 * production worker takes any job. A failure is reported with the unhealthy ping and exit 1.
 */
import { ValidationError } from "../core/errors.js";
import type { WorkerLog } from "./log.js";

export type FitnessCheck = () => unknown;

const checks: FitnessCheck[] = [];

/** Registers a check (sync or async) that must pass before the worker takes jobs. */
export function registerFitnessCheck(check: FitnessCheck): void {
  if (typeof check !== "function") {
    throw new ValidationError("registerFitnessCheck() argument", [
      { path: [], message: "expected a function" },
    ]);
  }
  checks.push(check);
}

export type FitnessResult = { ok: true } | { ok: false; check: string; reason: string };

export async function runFitnessChecks(log: WorkerLog): Promise<FitnessResult> {
  if (checks.length === 0) return { ok: true };
  const started = performance.now();
  for (const check of checks) {
    const name = check.name || "anonymous";
    try {
      await check();
    } catch (thrown) {
      const type = thrown instanceof Error ? thrown.name : typeof thrown;
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      const reason = `${type}: ${message}`;
      log.error(`Fitness check failed: ${name} | ${reason}`);
      if (thrown instanceof Error && thrown.stack) log.debug(thrown.stack);
      return { ok: false, check: name, reason };
    }
  }
  log.info(`All fitness checks passed. (${Math.round(performance.now() - started)}ms)`);
  return { ok: true };
}
