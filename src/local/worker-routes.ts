import type { Context, Hono } from "hono";
import type { Job } from "../protocol/job.js";
import { parseJobDoneBody, parseStreamChunk } from "../protocol/job-done.js";
import { readJsonBody } from "./body.js";
import { hangupOf } from "./hangup.js";
import { jsonError } from "./http-errors.js";
import type { JobRecord } from "./job-store.js";
import type { PlatformCore } from "./platform-core.js";
import { intQuery } from "./query.js";
import { param, route } from "./route.js";

/**
 * Results can be as large as the biggest submission (20 MB) plus JSON overhead; the cap only stops
 * a runaway worker from exhausting memory.
 */
const WORKER_BODY_LIMIT = 64 * 1024 * 1024;
const MAX_BATCH = 1_000;

/** What job-take hands a worker (§A.3): id and input, plus what the worker may use (batch-jobs.md §5). */
function jobPayload(job: JobRecord): Job {
  const payload: Job = { id: job.id, input: job.request.input };
  if (job.request.webhook !== undefined) payload.webhook = job.request.webhook;
  if (job.request.s3Config !== undefined) payload.s3Config = job.request.s3Config;
  if (job.batchId !== undefined) payload.batchId = job.batchId;
  return payload;
}

/** The worker-facing API (§A.14), as the Python worker calls it (see the recorded trace). */
export function workerRoutes(app: Hono, core: PlatformCore): void {
  const { store, workers, options } = core;
  const hold = (c: Context, workerId: string, max: number) =>
    workers.holding(workerId, () => store.waitTake(workerId, max, options.longPollMs, hangupOf(c)));

  route(app, "/job-take/:workerId", ["GET"], async (c) => {
    const jobs = await hold(c, param(c, "workerId"), 1);
    const job = jobs[0];
    return job ? c.json(jobPayload(job)) : c.body(null, 204);
  });

  route(app, "/job-take-batch/:workerId", ["GET"], async (c) => {
    const max = intQuery(c.req.query("batch_size"), "batch_size", { min: 1, max: MAX_BATCH }) ?? 1;
    const jobs = await hold(c, param(c, "workerId"), max);
    return jobs.length > 0 ? c.json(jobs.map(jobPayload)) : c.body(null, 204);
  });

  route(app, "/job-done/:workerId/:jobId", ["POST"], async (c) => {
    const workerId = param(c, "workerId");
    const jobId = param(c, "jobId");
    workers.seen(workerId);
    const outcome = parseJobDoneBody(await readJsonBody(c, WORKER_BODY_LIMIT));
    if (!outcome) return jsonError(c, 400, "job-done body must be a JSON object");
    const result = store.report(workerId, jobId, outcome);
    // A report for a job that was cancelled or timed out meanwhile is acknowledged and dropped.
    return result === "unknown" ? jsonError(c, 404, `job ${jobId} not found`) : c.json({});
  });

  route(app, "/job-stream/:workerId/:jobId", ["POST"], async (c) => {
    const workerId = param(c, "workerId");
    const jobId = param(c, "jobId");
    workers.seen(workerId);
    const chunk = parseStreamChunk(await readJsonBody(c, WORKER_BODY_LIMIT));
    if (!chunk) return jsonError(c, 400, 'job-stream body must be a JSON object with "output"');
    const result = store.appendChunk(workerId, jobId, chunk);
    return result === "unknown" ? jsonError(c, 404, `job ${jobId} not found`) : c.json({});
  });

  route(app, "/ping/:workerId", ["GET"], (c) => {
    const q = c.req.query();
    const report: { version?: string; unhealthy?: string } = {};
    if (q.runpod_version !== undefined) report.version = q.runpod_version;
    if (q.status === "unhealthy") {
      report.unhealthy = [q.check, q.reason].filter((s) => s !== undefined).join(": ");
    }
    workers.ping(param(c, "workerId"), report);
    return c.json({});
  });

  route(app, "/job-stop/:workerId", ["GET"], async (c) => {
    const workerId = param(c, "workerId");
    const ids = await workers.holding(workerId, () =>
      workers.takeStops(workerId, options.longPollMs, hangupOf(c)),
    );
    return ids.length > 0 ? c.json({ jobsToStop: ids }) : c.body(null, 204);
  });
}
