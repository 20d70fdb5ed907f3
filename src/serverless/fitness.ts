/**
 * Fitness checks (§A.10.2, spec platform-updates §2): the user's, registered at import time, then
 * the built-ins of runpod-python (`fitness-builtins.ts`, loaded only here). Run once, in order,
 * before the production worker takes any job. A failure is reported with the unhealthy ping and
 * exit 1.
 */
import { ValidationError } from "../core/errors.js";
import type { Env } from "./config.js";
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

const on = (env: Env, name: string) => env[name]?.toLowerCase() === "true";

async function builtins(env: Env, log: WorkerLog) {
  // Both skip variables set: not even the module is loaded.
  if (on(env, "RUNPOD_SKIP_GPU_CHECK") && on(env, "RUNPOD_SKIP_AUTO_SYSTEM_CHECKS")) return [];
  const { builtinChecks } = await import("./fitness-builtins.js");
  return builtinChecks(env, log);
}

export async function runFitnessChecks(log: WorkerLog, env: Env): Promise<FitnessResult> {
  const all = [
    ...checks.map((check) => ({ name: check.name || "anonymous", run: check })),
    ...(await builtins(env, log)),
  ];
  if (all.length === 0) return { ok: true };
  log.info(`Running ${all.length} fitness check(s)...`);
  const started = performance.now();
  for (const { name, run } of all) {
    const t0 = performance.now();
    log.debug(`Executing fitness check: ${name}`);
    try {
      await run();
    } catch (thrown) {
      const type = thrown instanceof Error ? thrown.name : typeof thrown;
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      const reason = `${type}: ${message}`;
      log.error(`Fitness check failed: ${name} | ${reason}`);
      if (thrown instanceof Error && thrown.stack) log.debug(`Traceback:\n${thrown.stack}`);
      return { ok: false, check: name, reason };
    }
    log.debug(`Fitness check passed: ${name} (${Math.round(performance.now() - t0)}ms)`);
  }
  log.info(`All fitness checks passed. (${Math.round(performance.now() - started)}ms)`);
  return { ok: true };
}
