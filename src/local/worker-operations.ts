import type { Job } from "../protocol/job.js";
import { parseJobDoneBody, parseStreamChunk } from "../protocol/job-done.js";
import type { Hangup } from "./hangup.js";
import type { JobRecord } from "./job-store.js";
import type { PlatformCore } from "./platform-core.js";
import { intQuery } from "./query.js";

/**
 * The worker-facing API (§A.14), as the Python worker calls it (see the recorded trace): one
 * definition of each operation, served by two adapters, the HTTP routes (`worker-routes.ts`) and
 * the in-process link of `--rp_serve_api` (`worker-link.ts`), so both take the same checks and
 * state changes.
 */

/**
 * Results can be as large as the biggest submission (20 MB) plus JSON overhead; the cap only stops
 * a runaway worker from exhausting memory.
 */
export const WORKER_BODY_LIMIT = 64 * 1024 * 1024;
const MAX_BATCH = 1_000;

/** A worker request, whichever way it came. Reading it may throw an `HttpError` (400, 413). */
export interface WorkerRequest {
  /** Path parameters in the operation's order (`workerId`, then `jobId`), non-empty. */
  readonly params: readonly string[];
  query(name: string): string | undefined;
  /** The body as JSON, refused past `limit` bytes. */
  json(limit: number): Promise<unknown>;
  /** The caller went away: a held request stops waiting. */
  readonly hangup: Hangup | undefined;
}

export type WorkerReply =
  | { status: 200; json: unknown }
  | { status: 204 }
  | { status: 400 | 404; error: string };

export interface WorkerOperation {
  /** The path segment after the endpoint, e.g. `job-take`. */
  name: string;
  method: "GET" | "POST";
  params: readonly ("workerId" | "jobId")[];
  run(core: PlatformCore, request: WorkerRequest): Promise<WorkerReply> | WorkerReply;
}

/** The operation's route pattern, e.g. `/job-done/:workerId/:jobId`. */
export function operationPath(op: WorkerOperation): string {
  return `/${op.name}${op.params.map((p) => `/:${p}`).join("")}`;
}

/** What job-take hands a worker (§A.3): id and input, plus what the worker may use (batch-jobs.md §5). */
function jobPayload(job: JobRecord): Job {
  const payload: Job = { id: job.id, input: job.request.input };
  if (job.request.webhook !== undefined) payload.webhook = job.request.webhook;
  if (job.request.s3Config !== undefined) payload.s3Config = job.request.s3Config;
  if (job.batchId !== undefined) payload.batchId = job.batchId;
  return payload;
}

const ok = (json: unknown): WorkerReply => ({ status: 200, json });
const NO_CONTENT: WorkerReply = { status: 204 };
const unknownJob = (jobId: string): WorkerReply => ({
  status: 404,
  error: `job ${jobId} not found`,
});

function hold(core: PlatformCore, request: WorkerRequest, max: number): Promise<JobRecord[]> {
  const { store, workers, options } = core;
  const workerId = request.params[0] as string;
  return workers.holding(workerId, () =>
    store.waitTake(workerId, max, options.longPollMs, request.hangup),
  );
}

export const WORKER_OPERATIONS: readonly WorkerOperation[] = [
  {
    name: "job-take",
    method: "GET",
    params: ["workerId"],
    async run(core, request) {
      const job = (await hold(core, request, 1))[0];
      return job ? ok(jobPayload(job)) : NO_CONTENT;
    },
  },
  {
    name: "job-take-batch",
    method: "GET",
    params: ["workerId"],
    async run(core, request) {
      const max =
        intQuery(request.query("batch_size"), "batch_size", { min: 1, max: MAX_BATCH }) ?? 1;
      const jobs = await hold(core, request, max);
      return jobs.length > 0 ? ok(jobs.map(jobPayload)) : NO_CONTENT;
    },
  },
  {
    name: "job-done",
    method: "POST",
    params: ["workerId", "jobId"],
    async run({ store, workers }, request) {
      const [workerId, jobId] = request.params as [string, string];
      workers.seen(workerId);
      const outcome = parseJobDoneBody(await request.json(WORKER_BODY_LIMIT));
      if (!outcome) return { status: 400, error: "job-done body must be a JSON object" };
      // A report for a job that was cancelled or timed out meanwhile is acknowledged and dropped.
      const result = store.report(workerId, jobId, outcome);
      return result === "unknown" ? unknownJob(jobId) : ok({});
    },
  },
  {
    name: "job-stream",
    method: "POST",
    params: ["workerId", "jobId"],
    async run({ store, workers }, request) {
      const [workerId, jobId] = request.params as [string, string];
      workers.seen(workerId);
      const chunk = parseStreamChunk(await request.json(WORKER_BODY_LIMIT));
      if (!chunk) {
        return { status: 400, error: 'job-stream body must be a JSON object with "output"' };
      }
      const result = store.appendChunk(workerId, jobId, chunk);
      return result === "unknown" ? unknownJob(jobId) : ok({});
    },
  },
  {
    name: "ping",
    method: "GET",
    params: ["workerId"],
    run({ workers }, request) {
      const report: { version?: string; unhealthy?: string } = {};
      const version = request.query("runpod_version");
      if (version !== undefined) report.version = version;
      if (request.query("status") === "unhealthy") {
        report.unhealthy = [request.query("check"), request.query("reason")]
          .filter((s) => s !== undefined)
          .join(": ");
      }
      workers.ping(request.params[0] as string, report);
      return ok({});
    },
  },
  {
    name: "job-stop",
    method: "GET",
    params: ["workerId"],
    async run({ workers, options }, request) {
      const workerId = request.params[0] as string;
      const ids = await workers.holding(workerId, () =>
        workers.takeStops(workerId, options.longPollMs, request.hangup),
      );
      return ids.length > 0 ? ok({ jobsToStop: ids }) : NO_CONTENT;
    },
  },
];
