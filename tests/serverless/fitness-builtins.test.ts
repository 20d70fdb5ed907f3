/**
 * The built-in fitness checks (spec platform-updates §2.2) in real worker processes against the
 * fake platform: low thresholds so they pass here, impossible ones so they fail, fake
 * `nvidia-smi` / `nvcc` / `gpu_test` scripts on PATH for the GPU checks, and the skip variables.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakePlatform } from "../helpers/fake-platform.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

let fake: FakePlatform;
let proc: WorkerProcess | undefined;
let bins: string;
let tcp: Server;
let reachable: string;

function script(dir: string, name: string, body: string) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const NVIDIA_SMI = `if [ "$1" = "--list-gpus" ]; then
  if [ "$FAKE_LIST_GPUS" = "fail" ]; then echo "driver not loaded" >&2; exit 9; fi
  echo "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1)"
  echo "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-2)"
  exit 0
fi
echo "| NVIDIA-SMI 550.54.15    Driver Version: 550.54.15    CUDA Version: 12.4 |"`;

const NVCC = `echo "nvcc: NVIDIA (R) Cuda compiler driver"
echo "Cuda compilation tools, release 12.2, V12.2.140"`;

/**
 * A PATH of one directory holding only the named fakes: a real `nvcc` or `nvidia-smi` on the
 * machine must not decide the outcome (the fakes are `/bin/sh` scripts, the worker runs by path).
 */
function pathWith(...tools: Array<"nvidia-smi" | "nvcc">): string {
  const dir = join(bins, tools.join("+") || "none");
  if (tools.includes("nvidia-smi")) script(dir, "nvidia-smi", NVIDIA_SMI);
  if (tools.includes("nvcc")) script(dir, "nvcc", NVCC);
  mkdirSync(dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  bins = mkdtempSync(join(tmpdir(), "rp-fitness-"));
  tcp = createServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
  reachable = `127.0.0.1:${(tcp.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => tcp.close(r));
  rmSync(bins, { recursive: true, force: true });
});
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  proc?.kill();
  proc = undefined;
  await fake.close();
});

/** Built-ins on, thresholds this machine meets, the network check pointed at a local listener. */
function env(extra: Record<string, string> = {}) {
  return fake.env({
    RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "false",
    RUNPOD_SKIP_GPU_CHECK: "false",
    RUNPOD_MIN_MEMORY_GB: "0.01",
    RUNPOD_MIN_DISK_PERCENT: "0.01",
    RUNPOD_NETWORK_CHECK_ADDRESS: reachable,
    PATH: pathWith(),
    ...extra,
  });
}

/** The worker passes its checks and then serves a job. */
async function servesAJob(p: WorkerProcess) {
  await p.waitForLine(/All fitness checks passed\. \(\d+ms\)/);
  fake.enqueue({ id: "after-checks", input: 1 });
  const done = await fake.waitFor((r) => r.route === "job-done" && r.jobId === "after-checks");
  expect(done.body).toBe('{"output": {"echo": 1}}');
}

/** The worker reports `check` unhealthy with a reason matching `reason`, and exits 1 untouched by jobs. */
async function unhealthy(p: WorkerProcess, check: string, reason: RegExp) {
  expect((await p.exited).code).toBe(1);
  const ping = fake.of("ping")[0];
  const query = new URLSearchParams(ping?.query ?? "");
  expect(query.get("status")).toBe("unhealthy");
  expect(query.get("check")).toBe(check);
  expect(query.get("reason")).toMatch(reason);
  expect(fake.of("job-take")).toEqual([]);
  expect(p.lines).toContain("ERROR  | Worker is unhealthy, exiting.");
}

const executed = (p: WorkerProcess) =>
  p.lines.flatMap((l) => /Executing fitness check: (\S+)/.exec(l)?.[1] ?? []);

describe("built-in fitness checks without a GPU", () => {
  it("run memory, disk and network after the user's checks, then the worker serves", async () => {
    proc = spawnWorker("fitness-user.ts", env());
    await servesAJob(proc);
    expect(proc.lines).toContain("INFO   | Running 4 fitness check(s)...");
    expect(executed(proc)).toEqual(["userCheck", "_memory_check", "_disk_check", "_network_check"]);
    expect(
      proc.lines.some((l) =>
        /Memory check passed: [\d.]+GB available \(of [\d.]+GB total\)/.test(l),
      ),
    ).toBe(true);
    expect(proc.lines.some((l) => /Disk space check passed: [\d.]+GB free/.test(l))).toBe(true);
    expect(
      proc.lines.some((l) => l.includes(`Network connectivity passed: Connected to 127.0.0.1`)),
    ).toBe(true);
  });

  it("fail _memory_check below RUNPOD_MIN_MEMORY_GB", async () => {
    proc = spawnWorker("fitness-user.ts", env({ RUNPOD_MIN_MEMORY_GB: "100000" }));
    await unhealthy(
      proc,
      "_memory_check",
      /^RuntimeError: Insufficient memory: [\d.]+GB available, 100000\.0GB required$/,
    );
    expect(proc.lines).toContain(
      "ERROR  | Fitness check failed: _memory_check | " +
        new URLSearchParams(fake.of("ping")[0]?.query).get("reason"),
    );
  });

  it("fail _disk_check below RUNPOD_MIN_DISK_PERCENT", async () => {
    proc = spawnWorker("fitness-user.ts", env({ RUNPOD_MIN_DISK_PERCENT: "100" }));
    await unhealthy(
      proc,
      "_disk_check",
      /^RuntimeError: Insufficient disk space: .*100\.0% required$/,
    );
  });

  it("fail _network_check when the address refuses the connection", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    proc = spawnWorker(
      "fitness-user.ts",
      env({ RUNPOD_NETWORK_CHECK_ADDRESS: `127.0.0.1:${port}` }),
    );
    await unhealthy(
      proc,
      "_network_check",
      new RegExp(
        `^RuntimeError: Network connectivity failed: Connection refused to 127\\.0\\.0\\.1:${port}$`,
      ),
    );
  });

  it("fail the check whose variable is not a number, naming it", async () => {
    proc = spawnWorker("fitness-user.ts", env({ RUNPOD_MIN_MEMORY_GB: "lots" }));
    await unhealthy(proc, "_memory_check", /RUNPOD_MIN_MEMORY_GB must be a number, got "lots"/);
  });

  it("are skipped with RUNPOD_SKIP_AUTO_SYSTEM_CHECKS=true (any case); the user's still run", async () => {
    proc = spawnWorker(
      "fitness-user.ts",
      env({ RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "TRUE", RUNPOD_MIN_MEMORY_GB: "100000" }),
    );
    await servesAJob(proc);
    expect(executed(proc)).toEqual(["userCheck"]);
  });

  it("do not run outside production (--test_input)", async () => {
    proc = spawnWorker(
      "fitness-user.ts",
      { ...env({ RUNPOD_MIN_MEMORY_GB: "100000" }), RUNPOD_WEBHOOK_GET_JOB: "" },
      ["--test_input", '{"input": 5}'],
    );
    expect((await proc.exited).code).toBe(0);
    expect(proc.lines.some((l) => l.includes("fitness check"))).toBe(false);
  });
});

describe("built-in fitness checks with a GPU (fake nvidia-smi / nvcc)", () => {
  it("add the GPU test first and the CUDA checks last; nvcc's version wins over nvidia-smi's", async () => {
    proc = spawnWorker(
      "fitness-user.ts",
      env({ PATH: pathWith("nvidia-smi", "nvcc"), RUNPOD_MIN_CUDA_VERSION: "12.0" }),
    );
    await servesAJob(proc);
    expect(executed(proc)).toEqual([
      "userCheck",
      "_gpu_health_check",
      "_memory_check",
      "_disk_check",
      "_network_check",
      "_cuda_version_check",
      "_cuda_init_check",
      "_benchmark_check",
    ]);
    expect(proc.lines).toContain(
      "INFO   | GPU fallback check passed: 2 GPU(s) detected (Note: Memory allocation NOT tested)",
    );
    expect(proc.lines).toContain("INFO   | CUDA version check passed: 12.2 (minimum: 12.0)");
  });

  it("fail _cuda_version_check below RUNPOD_MIN_CUDA_VERSION, reading nvidia-smi without nvcc", async () => {
    proc = spawnWorker(
      "fitness-user.ts",
      env({ PATH: pathWith("nvidia-smi"), RUNPOD_MIN_CUDA_VERSION: "12.5" }),
    );
    await unhealthy(
      proc,
      "_cuda_version_check",
      /^RuntimeError: CUDA version too old: 12\.4 found, 12\.5 required$/,
    );
  });

  it("fail _gpu_health_check when nvidia-smi --list-gpus fails", async () => {
    proc = spawnWorker(
      "fitness-user.ts",
      env({ PATH: pathWith("nvidia-smi"), FAKE_LIST_GPUS: "fail" }),
    );
    await unhealthy(
      proc,
      "_gpu_health_check",
      /^RuntimeError: GPU health check failed \(binary disabled\/missing, fallback failed\): nvidia-smi --list-gpus failed: driver not loaded/,
    );
  });

  it("run the gpu_test binary named by RUNPOD_BINARY_GPU_TEST_PATH", async () => {
    const ok = script(
      join(bins, "gpu-ok"),
      "gpu_test",
      [
        'echo "Found 2 GPUs:"',
        'echo "GPU 0 memory allocation test passed."',
        'echo "GPU 1 memory allocation test passed."',
      ].join("\n"),
    );
    proc = spawnWorker(
      "fitness-user.ts",
      env({
        PATH: pathWith("nvidia-smi"),
        RUNPOD_BINARY_GPU_TEST_PATH: ok,
        RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true",
      }),
    );
    await servesAJob(proc);
    expect(proc.lines).toContain("INFO   | GPU binary test passed");
  });

  it("report both failures when the gpu_test binary and the fallback fail", async () => {
    const bad = script(
      join(bins, "gpu-bad"),
      "gpu_test",
      [
        'echo "Found 2 GPUs:"',
        'echo "GPU 0 memory allocation test passed."',
        'echo "GPU 1: cudaMalloc failed: out of memory"',
        "exit 1",
      ].join("\n"),
    );
    proc = spawnWorker(
      "fitness-user.ts",
      env({
        PATH: pathWith("nvidia-smi"),
        RUNPOD_BINARY_GPU_TEST_PATH: bad,
        FAKE_LIST_GPUS: "fail",
        RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true",
      }),
    );
    await unhealthy(
      proc,
      "_gpu_health_check",
      /^RuntimeError: GPU health check failed\. Binary test: GPU memory allocation test failed: GPU 1: cudaMalloc failed: out of memory\. Fallback test: nvidia-smi --list-gpus failed/,
    );
  });

  it("skip the GPU test with RUNPOD_SKIP_GPU_CHECK=true", async () => {
    proc = spawnWorker(
      "fitness-user.ts",
      env({
        PATH: pathWith("nvidia-smi"),
        FAKE_LIST_GPUS: "fail",
        RUNPOD_SKIP_GPU_CHECK: "true",
        RUNPOD_MIN_CUDA_VERSION: "12.0",
      }),
    );
    await servesAJob(proc);
    expect(executed(proc)).not.toContain("_gpu_health_check");
    expect(executed(proc)).toContain("_cuda_version_check");
  });
});
