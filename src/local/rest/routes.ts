import { randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { ValidationError } from "../../core/errors.js";
import { validate } from "../../core/validate.js";
import { LB_ENV } from "../../protocol/load-balancing.js";
import { readJsonBody } from "../body.js";
import { HttpError, jsonError, REST_SERVERLESS_PATH } from "../http-errors.js";
import type { LbEndpoint } from "../load-balancer/endpoints.js";
import {
  loadBalancerOptionsSchema,
  type ResolvedLoadBalancerOptions,
} from "../load-balancer/options.js";
import type { PlatformCore } from "../platform-core.js";
import { param, route } from "../route.js";
import { type CreateEndpointBody, parseCreateEndpoint, violations } from "./create-endpoint.js";
import {
  lbEndpointView,
  lbWorkerRow,
  queueEndpointView,
  queueWorkerRow,
  workersView,
} from "./views.js";

/** The API refuses create bodies over this (newer document: 413). */
const CREATE_BODY_LIMIT = 102_400;

/** REST v2 `createEndpoint` defaults for `workers` (`min 0`, `max 3`, `idleTimeout 10` s). */
const WORKER_DEFAULTS = { min: 0, max: 3, idleTimeout: 10 };

/**
 * The slice of REST v2 (`/v2/serverless`) a user of load-balancing endpoints needs locally, shaped
 * as the vendored OpenAPI document: list, get, create (`LOAD_BALANCER` only) and the workers of an
 * endpoint. The platform's endpoints are its queue endpoint, the `loadBalancer` option's endpoint,
 * and those created here. Creating one starts a balancer on a port of its own running the
 * `loadBalancer` option's command (nothing runs an image locally), with the body's workers, scaling,
 * `timeout` (its processing timeout) and `env` (`HEALTH_CHECK_PATH` honoured; `PORT` and
 * `PORT_HEALTH` are the balancer's to choose). Errors are RFC 9457 problem documents
 * (`http-errors.ts`).
 */
export function restRoutes(app: Hono, core: PlatformCore): void {
  const requested = new Map<string, CreateEndpointBody>();
  const queueId = core.options.endpointId;
  const queueView = () => queueEndpointView(core.options, core.url(), core.startedAt);
  const lbView = (e: LbEndpoint) => lbEndpointView(e, requested.get(e.id));
  const notFound = (c: Context, id: string) => jsonError(c, 404, `endpoint ${id} not found`);

  route(app, REST_SERVERLESS_PATH, ["GET", "POST"], async (c) => {
    if (c.req.method === "GET") {
      return c.json({ endpoints: [queueView(), ...core.loadBalancers.list().map(lbView)] });
    }
    const body = parseCreateEndpoint(await readJsonBody(c, CREATE_BODY_LIMIT));
    const options = lbOptionsFor(body, core);
    const endpoint = await core.loadBalancers.start(options);
    requested.set(endpoint.id, body);
    return c.json(lbView(endpoint), 201);
  });

  route(app, `${REST_SERVERLESS_PATH}/:id`, ["GET"], (c) => {
    const id = param(c, "id");
    if (id === queueId) return c.json(queueView());
    const endpoint = core.loadBalancers.get(id);
    return endpoint === undefined ? notFound(c, id) : c.json(lbView(endpoint));
  });

  route(app, `${REST_SERVERLESS_PATH}/:id/workers`, ["GET"], (c) => {
    const id = param(c, "id");
    const now = Date.now();
    if (id === queueId)
      return c.json(workersView(core.workers.list().map(queueWorkerRow), undefined, now));
    const endpoint = core.loadBalancers.get(id);
    if (endpoint === undefined) return notFound(c, id);
    const rows = endpoint.workers().flatMap((w) => lbWorkerRow(w) ?? []);
    return c.json(workersView(rows, requested.get(id)?.image, now));
  });

  // Anything else under the collection is no route, never a queue endpoint's (`serverless` is
  // not an endpoint id the platform accepts).
  app.all(`${REST_SERVERLESS_PATH}/*`, (c) =>
    jsonError(c, 404, `no route for ${c.req.method} ${c.req.path}`),
  );
}

/**
 * The balancer a create body asks for: the `loadBalancer` option's command and settings, with the
 * body's workers, scaling, timeout and environment, under a new id. 400 when the platform has no
 * worker command to run, or for a queue endpoint (the platform serves exactly one, its own).
 */
function lbOptionsFor(body: CreateEndpointBody, core: PlatformCore): ResolvedLoadBalancerOptions {
  if (body.type === "QUEUE") {
    throw new HttpError(
      400,
      `the local platform serves one queue endpoint, ${core.options.endpointId}, and creates only LOAD_BALANCER endpoints`,
    );
  }
  if (body.templateId !== undefined) {
    throw new HttpError(404, `template ${body.templateId} not found (the local platform has none)`);
  }
  const configured = core.options.loadBalancer;
  if (configured === undefined) {
    throw new HttpError(
      400,
      "cannot create a LOAD_BALANCER endpoint: the local platform has no worker command to run for it (nothing runs an image locally). Start the platform with createLocalPlatform({ loadBalancer: { command: [...] } }) or runpod-ts dev --load-balancer WORKER",
    );
  }
  const workers = { ...WORKER_DEFAULTS, ...body.workers };
  const healthPath = body.env?.[LB_ENV.healthPath]?.trim();
  try {
    return validate(
      loadBalancerOptionsSchema,
      {
        ...configured,
        endpointId: newEndpointId(core),
        port: 0,
        env: { ...configured.env, ...body.env },
        ...(healthPath ? { healthPath } : {}),
        ...(body.timeout === undefined ? {} : { processingTimeoutMs: body.timeout }),
        workers: {
          ...configured.workers,
          min: workers.min,
          max: workers.max,
          idleTimeoutMs: workers.idleTimeout * 1000,
          requestCount: body.scaling.type === "REQUEST_COUNT" ? body.scaling.requestCount : 1,
        },
      },
      "endpoint",
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new HttpError(
      400,
      "the local load balancer cannot run this endpoint",
      violations(error.issues),
    );
  }
}

/** An id as production's (8 lower-case letters and digits), unused on this platform. */
function newEndpointId(core: PlatformCore): string {
  for (;;) {
    const id = [...randomBytes(8)]
      .map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36])
      .join("");
    if (id !== core.options.endpointId && core.loadBalancers.get(id) === undefined) return id;
  }
}
