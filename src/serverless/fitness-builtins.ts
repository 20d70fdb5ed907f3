/**
 * The built-in fitness checks of runpod-python ≥ 1.9 (spec platform-updates §2.2), with the same
 * names, variables and defaults. Loaded by `fitness.ts` only when a production worker runs its
 * checks, so no other start-up pays for this module or the processes it spawns.
 *
 * `_cuda_init_check` and `_benchmark_check` need torch or CuPy in Python and pass when neither is
 * installed; Node has no such library, so here they always pass (and say so at DEBUG).
 */
import { execFile } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import { access, constants, readFile, statfs } from "node:fs/promises";
import { connect } from "node:net";
import { freemem, totalmem } from "node:os";
import { delimiter, join } from "node:path";
import type { Env } from "./config.js";
import type { WorkerLog } from "./log.js";

/** A check with the name the logs and the unhealthy ping report. */
export interface NamedCheck {
  name: string;
  run: () => Promise<void>;
}

const GiB = 1024 ** 3;

class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** `float(os.environ.get(name, fallback))`: a bad value fails the check that reads it. */
function numberVar(env: Env, name: string, fallback: number, integer = false): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)))
    throw new RuntimeError(
      `${name} must be ${integer ? "an integer" : "a number"}, got ${JSON.stringify(raw)}`,
    );
  return value;
}

/** Python's `str(float)`: `4.0`, not `4`. */
const pyFloat = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));

interface Run {
  /** The exit status; `null` when the program did not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  missing: boolean;
  timedOut: boolean;
  /** Why it did not run to an exit status. */
  problem?: string;
}

function run(file: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({
        code,
        stdout,
        stderr,
        missing: error?.code === "ENOENT",
        timedOut: Boolean(error?.killed),
        ...(error && code === null ? { problem: error.message } : {}),
      });
    });
  });
}

/**
 * Whether `file` may be on PATH, looked up as `execFile` would (an empty entry is the current
 * directory). Without a PATH the answer is yes: the spawn then decides.
 */
function onPath(file: string): boolean {
  const path = process.env.PATH;
  if (path === undefined) return true;
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || ".", file), fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** `nvidia-smi` runs and prints its banner: the machine has an NVIDIA GPU (rp_cuda.is_available). */
async function gpuPresent(): Promise<boolean> {
  // On a machine without it (a CPU worker) the spawn would only fail; it costs a fork of this
  // process on the way to the first job-take (`npm run bench:worker`, cold start).
  if (!onPath("nvidia-smi")) return false;
  const r = await run("nvidia-smi", [], 5_000);
  return r.code === 0 && r.stdout.includes("NVIDIA-SMI");
}

async function availableMemory(): Promise<{ available: number; total: number }> {
  try {
    const info = await readFile("/proc/meminfo", "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(info)?.[1]);
    const available = kb("MemAvailable");
    const total = kb("MemTotal");
    if (Number.isFinite(available) && Number.isFinite(total))
      return { available: available * 1024, total: total * 1024 };
  } catch {}
  return { available: freemem(), total: totalmem() };
}

function memoryCheck(env: Env, log: WorkerLog): NamedCheck {
  return {
    name: "_memory_check",
    run: async () => {
      const min = numberVar(env, "RUNPOD_MIN_MEMORY_GB", 4.0);
      const { available, total } = await availableMemory();
      if (available / GiB < min)
        throw new RuntimeError(
          `Insufficient memory: ${(available / GiB).toFixed(2)}GB available, ${pyFloat(min)}GB required`,
        );
      log.info(
        `Memory check passed: ${(available / GiB).toFixed(2)}GB available (of ${(total / GiB).toFixed(2)}GB total)`,
      );
    },
  };
}

function diskCheck(env: Env, log: WorkerLog): NamedCheck {
  return {
    name: "_disk_check",
    run: async () => {
      const min = numberVar(env, "RUNPOD_MIN_DISK_PERCENT", 10.0);
      const s = await statfs("/");
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      const percent = total > 0 ? (100 * free) / total : 0;
      if (percent < min)
        throw new RuntimeError(
          `Insufficient disk space: ${(free / GiB).toFixed(2)}GB free (${percent.toFixed(1)}%), ${pyFloat(min)}% required`,
        );
      log.info(
        `Disk space check passed: ${(free / GiB).toFixed(2)}GB free (${percent.toFixed(1)}% available)`,
      );
    },
  };
}

function networkCheck(env: Env, log: WorkerLog): NamedCheck {
  return {
    name: "_network_check",
    run: async () => {
      const timeoutS = numberVar(env, "RUNPOD_NETWORK_CHECK_TIMEOUT", 5);
      // A runpod-ts addition, so the check can be pointed at a reachable address in tests and
      // in networks that block 8.8.8.8.
      const target = env.RUNPOD_NETWORK_CHECK_ADDRESS?.trim() || "8.8.8.8:53";
      const at = target.lastIndexOf(":");
      const host = target.slice(0, at).replace(/^\[|\]$/g, "");
      const port = Number(target.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535)
        throw new RuntimeError(
          `RUNPOD_NETWORK_CHECK_ADDRESS must be host:port, got ${JSON.stringify(target)}`,
        );
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(
            new RuntimeError(
              `Network connectivity failed: Timeout connecting to ${host}:${port} (${timeoutS}s)`,
            ),
          );
        }, timeoutS * 1000);
        socket.once("connect", () => {
          clearTimeout(timer);
          socket.end();
          resolve();
        });
        socket.once("error", (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(
            new RuntimeError(
              error.code === "ECONNREFUSED"
                ? `Network connectivity failed: Connection refused to ${host}:${port}`
                : `Network connectivity check failed: ${error.message}`,
            ),
          );
        });
      });
      log.info(
        `Network connectivity passed: Connected to ${host} (${Math.round(performance.now() - started)}ms)`,
      );
    },
  };
}

/** `major.minor` of the first version-looking text, or (0, 0). */
function versionOf(text: string): [number, number] {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

async function cudaVersion(log: WorkerLog): Promise<string | undefined> {
  const nvcc = await run("nvcc", ["--version"], 5_000);
  if (nvcc.code === 0) {
    const line = nvcc.stdout.split("\n").find((l) => /release|version/i.test(l));
    if (line) return line.trim();
  } else log.debug(`nvcc not available: ${nvcc.problem ?? `exit ${nvcc.code}`}`);
  const smi = await run("nvidia-smi", [], 5_000);
  if (smi.code === 0) {
    const v = /CUDA Version:\s*(\S+)/.exec(smi.stdout)?.[1];
    if (v) return `CUDA Version: ${v}`;
    log.debug("nvidia-smi output found but couldn't parse CUDA version");
  }
  return undefined;
}

function cudaVersionCheck(env: Env, log: WorkerLog): NamedCheck {
  return {
    name: "_cuda_version_check",
    run: async () => {
      const min = versionOf(env.RUNPOD_MIN_CUDA_VERSION ?? "11.8");
      const found = await cudaVersion(log);
      if (!found) {
        log.warn("Could not determine CUDA version, skipping check");
        return;
      }
      const v = versionOf(found);
      if (v[0] < min[0] || (v[0] === min[0] && v[1] < min[1]))
        throw new RuntimeError(
          `CUDA version too old: ${v[0]}.${v[1]} found, ${min[0]}.${min[1]} required`,
        );
      log.info(`CUDA version check passed: ${v[0]}.${v[1]} (minimum: ${min[0]}.${min[1]})`);
    },
  };
}

function noLibraryCheck(name: string, what: string, log: WorkerLog): NamedCheck {
  return {
    name,
    run: async () =>
      log.debug(`${what}: no CUDA library (torch/CuPy) for Node, skipping as runpod-python does`),
  };
}

/** Parses the output of the `gpu_test` binary: every GPU found passed, and no error line. */
function gpuTestPassed(output: string, maxErrors: number): { ok: boolean; detail: string } {
  let found = 0;
  let passed = 0;
  const errors: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const f = /^Found (\d+) GPUs/.exec(line);
    if (f) found = Number(f[1]);
    if (/memory allocation test passed/i.test(line)) passed += 1;
    if (/failed|error|cannot|unable/i.test(line)) errors.push(line);
  }
  const ok = passed > 0 && passed === found && errors.length === 0;
  const detail = errors.length > 0 ? `: ${errors.slice(0, maxErrors).join("; ")}` : "";
  return { ok, detail: `GPU memory allocation test failed${detail}` };
}

async function listGpus(): Promise<number> {
  const r = await run("nvidia-smi", ["--list-gpus"], 10_000);
  if (r.missing) throw new RuntimeError("nvidia-smi not found. Cannot validate GPU availability.");
  if (r.timedOut) throw new RuntimeError("nvidia-smi timed out");
  if (r.code !== 0) throw new RuntimeError(`nvidia-smi --list-gpus failed: ${r.stderr}`);
  const count = r.stdout.split("\n").filter((l) => l.trim()).length;
  if (count === 0) throw new RuntimeError("No GPUs detected by nvidia-smi");
  return count;
}

function gpuHealthCheck(env: Env, log: WorkerLog): NamedCheck {
  return {
    name: "_gpu_health_check",
    run: async () => {
      const timeoutS = numberVar(env, "RUNPOD_GPU_TEST_TIMEOUT", 30, true);
      const maxErrors = numberVar(env, "RUNPOD_GPU_MAX_ERROR_MESSAGES", 10, true);
      // runpod-python bundles a CUDA `gpu_test` binary; this package ships none, so the memory
      // allocation test runs only when RUNPOD_BINARY_GPU_TEST_PATH names one.
      const binary = env.RUNPOD_BINARY_GPU_TEST_PATH?.trim();
      let binaryError: string | undefined;
      if (!binary) log.debug("GPU binary not found: RUNPOD_BINARY_GPU_TEST_PATH is not set");
      else if (
        !(await access(binary, constants.X_OK).then(
          () => true,
          () => false,
        ))
      )
        log.debug(`GPU binary not executable: ${binary}`);
      else {
        const r = await run(binary, [], timeoutS * 1000);
        const result = gpuTestPassed(r.stdout, maxErrors);
        if (r.timedOut) binaryError = `GPU test binary timed out after ${timeoutS}s`;
        else if (r.code === 0 && result.ok) {
          log.info("GPU binary test passed");
          return;
        } else binaryError = result.detail;
        log.warn(`GPU binary check failed: ${binaryError}`);
      }
      try {
        const count = await listGpus();
        log.info(
          `GPU fallback check passed: ${count} GPU(s) detected (Note: Memory allocation NOT tested)`,
        );
      } catch (error) {
        const fallback = (error as Error).message;
        throw new RuntimeError(
          binaryError
            ? `GPU health check failed. Binary test: ${binaryError}. Fallback test: ${fallback}`
            : `GPU health check failed (binary disabled/missing, fallback failed): ${fallback}`,
        );
      }
    },
  };
}

/** A skip variable is on when its lower-cased value is `true`, as in Python. */
export const skipped = (env: Env, name: string) => env[name]?.toLowerCase() === "true";

/**
 * The built-in checks in runpod-python's order: the GPU memory test (when `nvidia-smi` shows a
 * GPU, unless `RUNPOD_SKIP_GPU_CHECK=true`), then the system checks (unless
 * `RUNPOD_SKIP_AUTO_SYSTEM_CHECKS=true`; the CUDA ones only with a GPU).
 */
export async function builtinChecks(env: Env, log: WorkerLog): Promise<NamedCheck[]> {
  const checks: NamedCheck[] = [];
  const gpu = await gpuPresent();
  if (!skipped(env, "RUNPOD_SKIP_GPU_CHECK") && gpu) checks.push(gpuHealthCheck(env, log));
  if (!skipped(env, "RUNPOD_SKIP_AUTO_SYSTEM_CHECKS")) {
    checks.push(memoryCheck(env, log), diskCheck(env, log), networkCheck(env, log));
    if (gpu)
      checks.push(
        cudaVersionCheck(env, log),
        noLibraryCheck("_cuda_init_check", "CUDA initialization check", log),
        noLibraryCheck("_benchmark_check", "GPU compute benchmark", log),
      );
  }
  return checks;
}
