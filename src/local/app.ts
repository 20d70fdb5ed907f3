import { Hono } from "hono";
import type { Logger } from "../core/logger.js";
import { requireApiKey } from "./auth.js";
import { batchRoutes } from "./batch-routes.js";
import { refuseCrossSite } from "./cross-site.js";
import type { Dashboard } from "./dashboard/index.js";
import { refuseEndpointHosts } from "./endpoint-host.js";
import { HttpError, jsonError } from "./http-errors.js";
import { openaiRoutes } from "./openai-routes.js";
import type { PlatformCore } from "./platform-core.js";
import { publicRoutes } from "./public-routes.js";
import { restRoutes } from "./rest/routes.js";
import { workerRoutes } from "./worker-routes.js";

/**
 * The Hono app: cross-site browser requests refused, auth, the REST v2 view (`/v2/serverless`),
 * then the same routes under `/v2/{endpointId}/…` and, as the Python dev server has them, under `/…`. The dashboard's page comes before auth (it holds no data and a
 * browser cannot send a header when it navigates); its data routes come after. Every failure is a
 * JSON error (`http-errors.ts`); nothing escapes as a crash.
 */
export function createApp(core: PlatformCore, logger: Logger, dashboard?: Dashboard): Hono {
  const routes = new Hono();
  publicRoutes(routes, core);
  batchRoutes(routes, core);
  openaiRoutes(routes, core, logger);
  workerRoutes(routes, core);

  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof HttpError) return jsonError(c, error.status, error.message, error.errors);
    logger.error(`local platform: ${c.req.method} ${c.req.path} failed`, error);
    return jsonError(c, 500, "internal error in the local platform");
  });
  app.notFound((c) => jsonError(c, 404, noRoute(c.req.method, c.req.path)));
  app.use(refuseCrossSite(core.options.host));
  app.use(refuseEndpointHosts(core.options.endpointId));
  dashboard?.mountPage(app);
  if (core.options.apiKey !== undefined) app.use(requireApiKey(core.options.apiKey));
  dashboard?.mountApi(app);
  restRoutes(app, core);
  app.use("/v2/:endpointId/*", async (c, next) => {
    const id = c.req.param("endpointId");
    if (id !== core.options.endpointId) {
      return jsonError(c, 404, unknownEndpoint(id, core.options.endpointId));
    }
    return next();
  });
  app.route("/v2/:endpointId", routes);
  app.route("/", routes);
  return app;
}

/** The 404 answers of the app, which the in-process worker link gives too. */
export const noRoute = (method: string, path: string) => `no route for ${method} ${path}`;
export const unknownEndpoint = (id: string, served: string) =>
  `unknown endpoint ${id}; this platform serves ${served}`;
