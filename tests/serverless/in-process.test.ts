/**
 * The worker's in-process route to a local platform (`--rp_serve_api`): the same requests, checks
 * and state changes as over HTTP, answered by the platform's own routes without a socket.
 */
import { describe, expect, it } from "vitest";
import { AbortError, RequestTimeoutError } from "../../src/core/api-errors.js";
import { WorkerHttp } from "../../src/serverless/http.js";
import { WorkerLog } from "../../src/serverless/log.js";
import { createWorker } from "../../src/serverless/worker.js";
import { startPlatform } from "../helpers/local-platform.js";

describe("in-process platform route", () => {
  it("runs a job end to end through the platform's own routes; drained, it stops at once", async () => {
    // A ten-minute hold: the shutdown below ends only because the drain answers the held take.
    const platform = await startPlatform({ apiKey: "secret", longPollMs: 600_000 });
    const env = platform.workerEnv("in-proc");
    const worker = createWorker(
      { concurrency: 2, handler: (job) => ({ echo: job.input }) },
      { env, fitnessChecks: false, log: new WorkerLog("ERROR", false), link: platform.workerLink },
    );
    const done = worker.run();
    const res = await fetch(`${platform.endpointUrl}/runsync`, {
      method: "POST",
      headers: { authorization: "Bearer secret", "content-type": "application/json" },
      body: JSON.stringify({ input: { n: 1 } }),
    });
    expect(await res.json()).toMatchObject({ status: "COMPLETED", output: { echo: { n: 1 } } });
    expect(platform.workers().map((w) => w.id)).toContain("in-proc");
    await expect.poll(() => platform.heldRequests()).toBe(2); // its job-take and job-stop
    platform.drainWorker("in-proc");
    worker.shutdown();
    expect(await done).toBe(0);
  });

  it("sends the worker's key (a wrong one is refused), and an abort releases a held long poll", async () => {
    const platform = await startPlatform({ apiKey: "secret" });
    const env = platform.workerEnv("w1");
    const take = env.RUNPOD_WEBHOOK_GET_JOB?.replace("$ID", "w1") ?? "";
    const wrong = new WorkerHttp("nope", "test", { link: platform.workerLink });
    expect((await wrong.get(take, "job-take", { timeoutMs: 5_000 })).status).toBe(401);

    const http = new WorkerHttp("secret", "test", { link: platform.workerLink });
    const controller = new AbortController();
    const held = http.get(take, "job-take", { signal: controller.signal, timeoutMs: 5_000 });
    await expect.poll(() => platform.heldRequests()).toBe(1);
    controller.abort();
    await expect(held).rejects.toBeInstanceOf(AbortError);
    await expect.poll(() => platform.heldRequests()).toBe(0);

    const late = http.get(take, "job-take", { timeoutMs: 50 });
    await expect(late).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect.poll(() => platform.heldRequests()).toBe(0);
  });
});
