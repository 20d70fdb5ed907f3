import type { Context, Hono } from "hono";
import { readJsonBody } from "./body.js";
import { hangupOf } from "./hangup.js";
import { jsonError } from "./http-errors.js";
import type { PlatformCore } from "./platform-core.js";
import { param, route } from "./route.js";
import { operationPath, WORKER_OPERATIONS, type WorkerReply } from "./worker-operations.js";

/** The worker-facing API over HTTP: each operation of `worker-operations.ts` as a route. */
export function workerRoutes(app: Hono, core: PlatformCore): void {
  for (const op of WORKER_OPERATIONS) {
    route(app, operationPath(op), [op.method], async (c) => {
      const reply = await op.run(core, {
        params: op.params.map((p) => param(c, p)),
        query: (name) => c.req.query(name),
        json: (limit) => readJsonBody(c, limit),
        // Read only by the operations that hold (the non-Node path builds a signal for it).
        get hangup() {
          return hangupOf(c);
        },
      });
      return answer(c, reply);
    });
  }
}

function answer(c: Context, reply: WorkerReply): Response {
  if (reply.status === 204) return c.body(null, 204);
  if (reply.status === 200) return c.json(reply.json);
  return jsonError(c, reply.status, reply.error);
}
