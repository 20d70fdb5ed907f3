import type { Context, Hono } from "hono";
import * as z from "zod/mini";
import { formatIssues } from "../core/errors.js";
import { toIssues } from "../core/validate.js";
import { isJsonObject } from "../internal/json-object.js";
import {
  RUN_BODY_LIMIT,
  RUNSYNC_BODY_LIMIT,
  runRequestSchema,
  SYNC_WAIT_MAX_MS,
  SYNC_WAIT_MIN_MS,
} from "../protocol/run-request.js";
import type { EndpointHealth, PurgeQueueResponse } from "../protocol/status.js";
import { readJsonBody } from "./body.js";
import { hangupOf } from "./hangup.js";
import { HttpError, jsonError } from "./http-errors.js";
import type { PlatformCore } from "./platform-core.js";
import { intQuery } from "./query.js";
import { param, route } from "./route.js";

/** The platform also insists on an object `input`, as the handler contract expects one. */
export const submissionSchema = z.extend(runRequestSchema, {
  input: z.custom<Record<string, unknown>>(isJsonObject, "required, and must be a JSON object"),
});

type Submission = z.infer<typeof submissionSchema>;

/**
 * `{"input": {...}}` and nothing else, the usual body, is valid as it stands: what the schema
 * would return for it, without running it (zod was 1-3 % of a `/runsync`'s CPU time).
 */
function onlyInput(body: unknown): Submission | undefined {
  if (!isJsonObject(body) || !isJsonObject(body.input)) return undefined;
  for (const key in body) if (key !== "input") return undefined;
  return { input: body.input };
}

async function readSubmission(c: Context, limit: number): Promise<Submission> {
  const body = await readJsonBody(c, limit);
  const plain = onlyInput(body);
  if (plain) return plain;
  const parsed = z.safeParse(submissionSchema, body);
  if (!parsed.success) {
    throw new HttpError(
      400,
      `invalid request: ${formatIssues(toIssues(parsed.error.issues, "key"))}`,
    );
  }
  return parsed.data;
}

const waitRange = { min: SYNC_WAIT_MIN_MS, max: SYNC_WAIT_MAX_MS };

/** The public endpoint API (§B.2, §B.10). */
export function publicRoutes(app: Hono, core: PlatformCore): void {
  const { store, workers, options } = core;
  const notFound = (c: Context, id: string) => jsonError(c, 404, `job ${id} not found`);

  route(app, "/run", ["POST"], async (c) => {
    const request = await readSubmission(c, RUN_BODY_LIMIT);
    const job = store.submit(request, false);
    // Always IN_QUEUE, as production answers, even if a held job-take already started it.
    return c.json({ id: job.id, status: "IN_QUEUE" });
  });

  route(app, "/runsync", ["POST"], async (c) => {
    const wait = intQuery(c.req.query("wait"), "wait", waitRange) ?? options.syncWaitMs;
    const request = await readSubmission(c, RUNSYNC_BODY_LIMIT);
    const job = store.submit(request, true);
    await store.waitFinal(job.id, wait, hangupOf(c));
    return c.json(store.statusOf(job));
  });

  route(app, "/status/:id", ["GET", "POST"], (c) => {
    const id = param(c, "id");
    const job = store.get(id);
    return job ? c.json(store.statusOf(job)) : notFound(c, id);
  });

  route(app, "/status-sync/:id", ["GET", "POST"], async (c) => {
    const id = param(c, "id");
    const wait = intQuery(c.req.query("wait"), "wait", waitRange) ?? options.syncWaitMs;
    await store.waitFinal(id, wait, hangupOf(c));
    const job = store.get(id);
    return job ? c.json(store.statusOf(job)) : notFound(c, id);
  });

  route(app, "/stream/:id", ["GET", "POST"], async (c) => {
    const id = param(c, "id");
    const wait =
      intQuery(c.req.query("wait"), "wait", { min: 0, max: SYNC_WAIT_MAX_MS }) ??
      options.streamWaitMs;
    const drained = await store.drainStream(id, wait, hangupOf(c));
    return drained ? c.json(drained) : notFound(c, id);
  });

  route(app, "/cancel/:id", ["POST"], (c) => {
    const id = param(c, "id");
    const job = store.cancel(id);
    return job ? c.json({ id: job.id, status: job.status }) : notFound(c, id);
  });

  route(app, "/retry/:id", ["POST"], (c) => {
    const id = param(c, "id");
    const result = store.retry(id);
    if (!result) return notFound(c, id);
    if (!result.retried) {
      return jsonError(
        c,
        400,
        `job ${id} is ${result.job.status}; only FAILED or TIMED_OUT jobs can be retried`,
      );
    }
    return c.json({ id: result.job.id, status: "IN_QUEUE" });
  });

  route(app, "/purge-queue", ["POST"], (c) => {
    const body: PurgeQueueResponse = { removed: store.purgeQueue(), status: "completed" };
    return c.json(body);
  });

  route(app, "/health", ["GET"], (c) => {
    const body: EndpointHealth = { jobs: store.jobCounts(), workers: workers.counts() };
    return c.json(body);
  });
}
