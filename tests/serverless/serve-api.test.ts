/**
 * `--rp_serve_api`: the worker process starts the local platform and serves its own jobs through
 * the production protocol, with `--rp_api_concurrency` as real concurrency (Python's fails > 1).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Endpoint } from "../../src/endpoint/index.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

let proc: WorkerProcess | undefined;
let gates: string | undefined;
afterEach(() => {
  proc?.kill();
  proc = undefined;
  if (gates) rmSync(gates, { recursive: true, force: true });
  gates = undefined;
});

async function serve(
  fixture: string,
  env: Record<string, string>,
  args: string[],
  options?: { stderrToStdout?: boolean },
) {
  proc = spawnWorker(
    fixture,
    env,
    ["--rp_serve_api", "--rp_api_port", "0", ...args],
    undefined,
    options,
  );
  const line = await proc.waitForLine(/^Local platform: http:\/\/127\.0\.0\.1:\d+/);
  const url = (line.match(/http:\/\/127\.0\.0\.1:\d+/) as RegExpMatchArray)[0];
  // The platform is open (no key configured); the client still needs one to send.
  return new Endpoint("local", { apiKey: "local", baseUrl: `${url}/v2` });
}

describe("--rp_serve_api", () => {
  it("serves the public API and runs jobs through the worker protocol", async () => {
    const ep = await serve("echo.ts", {}, []);
    expect(proc?.lines.some((l) => l.startsWith("Try: curl -s -X POST http://127.0.0.1:"))).toBe(
      true,
    );
    expect(await ep.runSync({ hello: "world" })).toEqual({ echo: { hello: "world" } });

    const failing = await ep.run({ fail: "boom" });
    await expect(failing.output()).rejects.toThrow(/boom/);
    const status = await failing.status();
    expect(status.status).toBe("FAILED");
    expect(status.workerId).toBe("local-worker");

    // The dashboard is on by default, at the root of the platform.
    const url = (proc?.lines.find((l) => l.startsWith("Dashboard: ")) ?? "").slice(11);
    expect((await fetch(url)).status).toBe(200);
    // Its heartbeat reached the platform (the pings carry the version).
    const state = (await (await fetch(`${url}_dashboard/api/state`)).json()) as {
      workers: Array<{ id: string; version?: string }>;
    };
    expect(state.workers.find((w) => w.id === "local-worker")?.version).toMatch(/^\d+\.\d+/);

    const health = await ep.health();
    expect(health.jobs.completed).toBe(1);
    expect(health.jobs.failed).toBe(1);

    proc?.child.kill("SIGTERM");
    expect((await proc?.exited)?.code).toBe(0);
    // The platform in the process answers its worker's held job-take first: nothing to wait for.
    expect(proc?.lines.filter((l) => l.includes("Waiting for the job-take"))).toEqual([]);
  });

  it("leaves the dashboard out with --no-dashboard", async () => {
    const ep = await serve("echo.ts", {}, ["--no-dashboard"]);
    expect(proc?.lines.some((l) => l.startsWith("Dashboard:"))).toBe(false);
    const banner = proc?.lines.find((l) => l.startsWith("Local platform: ")) ?? "";
    const root = (banner.match(/http:\/\/127\.0\.0\.1:\d+/) ?? [""])[0];
    expect(root).not.toBe("");
    expect((await fetch(`${root}/`)).status).toBe(404);
    expect(await ep.runSync({ a: 1 })).toEqual({ echo: { a: 1 } });
  });

  it("keeps the worker's batched lines in order with the handler's own output", async () => {
    const ep = await serve("console-log.ts", {}, ["--rp_api_concurrency", "4"]);
    const jobs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => ep.run({ n })));
    await Promise.all(jobs.map((job) => job.output()));
    for (const job of jobs) {
      await proc?.waitForLine(new RegExp(`${job.id} \\| Finished\\.`));
      const at = (pattern: RegExp) => proc?.lines.findIndex((l) => pattern.test(l)) ?? -1;
      const started = at(new RegExp(`${job.id} \\| Started\\.`));
      const said = at(new RegExp(`^handler says ${job.id}$`));
      const finished = at(new RegExp(`${job.id} \\| Finished\\.`));
      expect(started).toBeGreaterThanOrEqual(0);
      expect(said).toBeGreaterThan(started);
      expect(finished).toBeGreaterThan(said);
    }
  });

  it("shows a blocking handler's Started. line while the handler holds the main thread", async () => {
    // The platform shares the blocked thread, so nothing answers until the gate opens: the line
    // can only come from the thread that writes held lines (or a write before the handler).
    gates = mkdtempSync(join(tmpdir(), "runpod-serve-gates-"));
    const ep = await serve("blocking.ts", { GATE_DIR: gates }, []);
    const submitted = ep.run({ gate: "g1" });
    const started = await proc?.waitForLine(/\| Started\.$/);
    writeFileSync(join(gates, "g1"), "");
    const job = await submitted;
    expect(started).toContain(`| ${job.id} | Started.`);
    expect(await job.output()).toBe("unblocked");
    await proc?.waitForLine(new RegExp(`${job.id} \\| Finished\\.`));
    const lines = proc?.lines ?? [];
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(lines.filter((l) => l.includes(`${job.id} | Started.`))).toHaveLength(1);
    expect(at(new RegExp(`${job.id} \\| Started\\.`))).toBeLessThan(
      at(new RegExp(`${job.id} \\| Finished\\.`)),
    );
  });

  it("lets held lines out before the handler's stdout and stderr, and when the handler exits the process", async () => {
    // One pipe for both streams, as a terminal shows them. The worker holds its lines (one job's
    // "Finished." leaves with the next job's "Started."), so this pins the order across jobs, across
    // stdout and stderr, and at exit: the last job's "Finished." is still held when it exits.
    const ep = await serve("log-order.ts", {}, [], { stderrToStdout: true });
    const first = await ep.run({});
    await first.output();
    const last = await ep.run({ exit: 3 });
    expect((await proc?.exited)?.code).toBe(3);
    const lines = proc?.lines ?? [];
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const order = [first.id, last.id].flatMap((id) => [
      at(new RegExp(`${id} \\| Started\\.`)),
      at(new RegExp(`^handler says ${id}$`)),
      at(new RegExp(`^handler warns ${id}$`)),
      at(new RegExp(`${id} \\| Finished\\.`)),
    ]);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("starts a fresh worker after each job with refreshWorker, and keeps serving", async () => {
    gates = mkdtempSync(join(tmpdir(), "runpod-serve-gates-"));
    const ep = await serve("gated.ts", { GATE_DIR: gates, REFRESH_WORKER: "1" }, []);
    for (const round of [1, 2]) {
      const job = await ep.run({ round });
      writeFileSync(join(gates, job.id), "");
      expect(await job.output()).toEqual({ done: job.id });
    }
    expect(
      proc?.lines.filter((l) => l.includes("refreshWorker: starting a fresh worker.")).length,
    ).toBeGreaterThanOrEqual(1);
    expect(proc?.child.exitCode).toBe(null);
    proc?.child.kill("SIGTERM");
    expect((await proc?.exited)?.code).toBe(0);
  });

  it("runs --rp_api_concurrency jobs at once", async () => {
    gates = mkdtempSync(join(tmpdir(), "runpod-serve-gates-"));
    const ep = await serve("gated.ts", { GATE_DIR: gates }, ["--rp_api_concurrency", "2"]);
    const a = await ep.run({});
    const b = await ep.run({});
    // Both are taken while neither can finish: two slots, not one.
    for (const job of [a, b]) {
      await proc?.waitForLine(new RegExp(`${job.id} \\| Started\\.`));
    }
    for (const job of [a, b]) writeFileSync(join(gates, job.id), "");
    expect(await a.output()).toEqual({ done: a.id });
    expect(await b.output()).toEqual({ done: b.id });
  });
});
