import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import * as z from "zod/mini";
import { formatIssues } from "../../core/errors.js";
import { parseWorkerError } from "../../core/job-errors.js";
import { toIssues } from "../../core/validate.js";
import { HttpError, jsonError } from "../http-errors.js";
import { route } from "../route.js";
import { ChangeFeed } from "./change-feed.js";
import type { DashboardSource } from "./index.js";
import type { RecentRequests } from "./lb-requests.js";
import type { Recorder } from "./recorder.js";
import {
  type DashboardOverview,
  type DashboardState,
  type JobDetails,
  summarize,
} from "./view-model.js";

interface ApiDeps {
  source: DashboardSource;
  recorder: Recorder;
  requests: RecentRequests;
  /** Enders of the open event streams, for `close()`. */
  streams: Set<() => void>;
}

/** Ids are opaque (§B.3.1) but ours are UUID-based; this bounds what reaches the lookups. */
const jobIdSchema = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/, "not a job id"));

/** How often an idle event stream sends counts, last-seen times and the chart. */
const OVERVIEW_MS = 2_000;

/** The dashboard's own data routes; the public API does the rest (submit, cancel, retry). */
export function apiRoutes(app: Hono, { source, recorder, requests, streams }: ApiDeps): void {
  const overview = (): DashboardOverview => {
    const endpoints = source.loadBalancers();
    return {
      now: Date.now(),
      health: source.health(),
      workers: source.workers(),
      metrics: recorder.metrics(),
      ...(endpoints.length === 0
        ? {}
        : {
            loadBalancer: { endpoints, workers: source.lbWorkers(), requests: requests.list() },
          }),
    };
  };
  const state = (): DashboardState => ({
    ...overview(),
    endpointId: source.endpointId,
    jobs: source.jobs().map(summarize),
  });

  app.use("/_dashboard/api/*", async (c, next) => {
    await next();
    // Job data is private to the developer; keep it out of every cache.
    c.header("Cache-Control", "no-store");
  });

  route(app, "/_dashboard/api/state", ["GET"], (c) => c.json(state()));

  route(app, "/_dashboard/api/jobs/:id", ["GET"], (c) => {
    const parsed = z.safeParse(jobIdSchema, c.req.param("id"));
    if (!parsed.success) {
      throw new HttpError(400, `job id: ${formatIssues(toIssues(parsed.error.issues, "key"))}`);
    }
    const job = source.job(parsed.data);
    if (!job) return jsonError(c, 404, `job ${parsed.data} not found`);
    const details: JobDetails = { job, history: recorder.history(job.id) };
    const errorDetails = parseWorkerError(job.error);
    if (errorDetails) details.errorDetails = errorDetails;
    return c.json(details);
  });

  route(app, "/_dashboard/api/events", ["GET"], (c) =>
    streamSSE(c, async (stream) => {
      // Subscribe before taking the state, so no change falls between the two.
      const feed = new ChangeFeed(source.subscribe, recorder);
      const end = () => feed.close();
      streams.add(end);
      stream.onAbort(end);
      try {
        await stream.writeSSE({ event: "state", data: JSON.stringify(state()) });
        for (;;) {
          const item = await feed.next(OVERVIEW_MS);
          if (item === "closed" || stream.aborted) break;
          if (item === "resync") {
            await stream.writeSSE({ event: "state", data: JSON.stringify(state()) });
            continue;
          }
          if (item.length > 0) {
            await stream.writeSSE({ event: "changes", data: JSON.stringify(item) });
          }
          await stream.writeSSE({ event: "overview", data: JSON.stringify(overview()) });
        }
      } finally {
        end();
        streams.delete(end);
      }
    }),
  );
}
