/**
 * The README promises that the worker and the endpoint client run on Bun and Deno. Both runtimes
 * are dev dependencies (npm `bun`, `deno`); each runs the built worker (start, streaming, the
 * heartbeat thread) against a local platform, and the built client against it. A runtime whose
 * binary cannot run on this machine is skipped, with the reason in the test's name.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFailed } from "vitest";
import { Endpoint } from "../../src/endpoint/index.js";
import type { PlatformEvent } from "../../src/local/index.js";
import { nextEvent, startPlatform } from "../helpers/local-platform.js";
import { runProcess } from "../helpers/run-process.js";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(import.meta.dirname, "fixtures");

const runtimes = [
  { name: "bun", bin: join(root, "node_modules", ".bin", "bun"), args: [] as string[] },
  { name: "deno", bin: join(root, "node_modules", ".bin", "deno"), args: ["run", "-A"] },
].map((r) => {
  const probe = spawnSync(r.bin, ["--version"], { encoding: "utf8" });
  const why =
    probe.status === 0
      ? undefined
      : `${r.bin} cannot run here: ${probe.error?.message ?? probe.stderr.trim()}`;
  return { ...r, version: probe.stdout?.trim(), why };
});

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

type WorkerEvent = Extract<PlatformEvent, { type: "worker" }>;

for (const rt of runtimes) {
  const title = rt.why ? `${rt.name} (skipped: ${rt.why})` : `${rt.name} ${rt.version}`;
  describe.skipIf(rt.why !== undefined)(title, () => {
    it("runs the worker: jobs, streaming, heartbeat pings, and a graceful stop on SIGTERM", async () => {
      const p = await startPlatform();
      // The heartbeat thread's ping carries the worker's version: it proves the thread runs.
      const pinged = nextEvent(
        p,
        (e): e is WorkerEvent =>
          e.type === "worker" && e.worker.id === "rt-worker" && e.worker.version !== undefined,
      );
      const child = spawn(rt.bin, [...rt.args, join(fixtures, "worker.mjs")], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          ...p.workerEnv("rt-worker"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let log = "";
      child.stdout.on("data", (d: Buffer) => (log += d));
      child.stderr.on("data", (d: Buffer) => (log += d));
      // A timeout reports no expectation, so it would not show what the runtime printed, nor
      // which step the test waited in (this test has timed out under load, after both jobs).
      let step = "runSync";
      onTestFailed(() => {
        console.error(`${rt.name} worker, test step "${step}", output:\n${log}`);
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      stops.push(async () => {
        if (child.exitCode === null) child.kill("SIGKILL");
        await exited;
      });

      const ep = new Endpoint<{ words: string[] }, unknown[]>(p.endpointId, {
        baseUrl: `${p.url}/v2`,
      });
      expect(await ep.runSync({ words: ["a", "b"] }), log).toEqual([
        { word: "a", runtime: rt.name },
        { word: "b", runtime: rt.name },
      ]);
      step = "run + stream";
      const job = await ep.run({ words: ["c", "d", "e"] });
      const chunks: unknown[] = [];
      for await (const chunk of job.stream()) chunks.push(chunk);
      expect(chunks).toEqual(["c", "d", "e"].map((word) => ({ word, runtime: rt.name })));
      step = "heartbeat ping with the version";
      expect((await pinged).worker.version).toMatch(/^\d+\.\d+\.\d+/);

      step = "exit after SIGTERM";
      child.kill("SIGTERM");
      expect(await exited, log).toBe(0);
    });

    it("runs the endpoint client: run + stream, runSync, health", async () => {
      const p = await startPlatform();
      // The worker here is Node's own: this test is about the client under the other runtime.
      const worker = spawn(process.execPath, [join(fixtures, "worker.mjs")], {
        env: { PATH: process.env.PATH ?? "", ...p.workerEnv("node-worker") },
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => worker.on("close", resolve));
      stops.push(async () => {
        worker.kill("SIGTERM");
        await exited;
      });
      const r = await runProcess(
        rt.bin,
        [...rt.args, join(fixtures, "client.mjs"), `${p.url}/v2`, p.endpointId],
        { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } },
      );
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as {
        chunks: unknown[];
        output: unknown;
        health: { jobs: { completed: number } };
      };
      expect(result.chunks).toEqual(["x", "y", "z"].map((word) => ({ word, runtime: "node" })));
      expect(result.output).toEqual([{ word: "q", runtime: "node" }]);
      expect(result.health.jobs.completed).toBe(2);
    });
  });
}
