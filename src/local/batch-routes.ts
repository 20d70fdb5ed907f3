import type { Context, Hono } from "hono";
import * as z from "zod/mini";
import { formatIssues, type ValidationIssue } from "../core/errors.js";
import { toIssues } from "../core/validate.js";
import { BATCH_BODY_LIMIT, BATCH_PAGE_DEFAULT, BATCH_PAGE_MAX } from "../protocol/batch.js";
import type { RunRequest } from "../protocol/run-request.js";
import { readJsonBody } from "./body.js";
import { HttpError } from "./http-errors.js";
import type { PlatformCore } from "./platform-core.js";
import { submissionSchema } from "./public-routes.js";
import { intQuery } from "./query.js";
import { param, route } from "./route.js";

/** Each request of a batch is a `/run` body, checked as `/run` checks it. */
const itemsSchema = z.array(submissionSchema);
const appendSchema = z.strictObject({ requests: itemsSchema });
const renameSchema = z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(256)) });

/** Enough issues to fix the first few items; a 5 000-item body must not make a 5 000-line error. */
const SHOWN_ISSUES = 5;

/** A body checked against `schema`; a 400 names the first few problems. */
function parsed<T>(schema: z.ZodMiniType<T>, body: unknown, what: string): T {
  const result = z.safeParse(schema, body);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = toIssues(result.error.issues, "key");
  const more = issues.length > SHOWN_ISSUES ? `; and ${issues.length - SHOWN_ISSUES} more` : "";
  throw new HttpError(
    400,
    `invalid ${what}: ${formatIssues(issues.slice(0, SHOWN_ISSUES))}${more}`,
  );
}

async function readBody<T>(c: Context, schema: z.ZodMiniType<T>, what: string): Promise<T> {
  return parsed(schema, await readJsonBody(c, BATCH_BODY_LIMIT), what);
}

async function readCreate(c: Context): Promise<RunRequest[]> {
  const body = await readJsonBody(c, BATCH_BODY_LIMIT);
  if (!Array.isArray(body)) {
    throw new HttpError(
      400,
      'invalid batch: the body must be a JSON array of /run bodies, e.g. [{"input": {...}}]',
    );
  }
  return parsed(itemsSchema, body, "batch");
}

/**
 * Batch Jobs (batch-jobs.md §2, §8) under `/batch`. Every answer is JSON: create answers
 * `{id, status}` (200), the listing a plain array of summaries (the shape is unverified), the
 * other changes the batch's summary; refusals are `{"error"}` with 400, 404, 409 or 413.
 */
export function batchRoutes(app: Hono, core: PlatformCore): void {
  const { batches } = core;

  route(app, "/batch", ["GET", "POST"], async (c) => {
    if (c.req.method === "GET") return c.json(batches.list());
    const batch = batches.create(await readCreate(c));
    return c.json({ id: batch.id, status: batch.status });
  });

  route(app, "/batch/:id", ["GET", "PUT"], async (c) => {
    const id = param(c, "id");
    if (c.req.method === "GET") return c.json(batches.get(id));
    const { name } = await readBody(c, renameSchema, "batch update");
    return c.json(batches.rename(id, name));
  });

  route(app, "/batch/:id/requests", ["GET", "POST"], async (c) => {
    const id = param(c, "id");
    if (c.req.method === "POST") {
      const body = await readJsonBody(c, BATCH_BODY_LIMIT);
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new HttpError(
          400,
          'invalid batch requests: the body must be {"requests": [{"input": {...}}, ...]}',
        );
      }
      const { requests } = parsed(appendSchema, body, "batch requests");
      return c.json(batches.append(id, requests));
    }
    const offset =
      intQuery(c.req.query("offset"), "offset", { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
    const limit =
      intQuery(c.req.query("limit"), "limit", { min: 1, max: BATCH_PAGE_MAX }) ??
      BATCH_PAGE_DEFAULT;
    return c.json(batches.page(id, offset, limit));
  });

  route(app, "/batch/:id/requests/:requestId", ["DELETE"], (c) =>
    c.json(batches.removeRequest(param(c, "id"), param(c, "requestId"))),
  );

  route(app, "/batch/:id/finalize", ["POST"], (c) => c.json(batches.finalize(param(c, "id"))));

  route(app, "/batch/:id/cancel", ["POST"], (c) => c.json(batches.cancel(param(c, "id"))));
}
