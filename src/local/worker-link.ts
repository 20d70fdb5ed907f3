import type { Logger } from "../core/logger.js";
import type { WorkerAnswer, WorkerLink } from "../protocol/worker-link.js";
import { noRoute, unknownEndpoint } from "./app.js";
import { apiKeyCheck, UNAUTHORIZED } from "./auth.js";
import { readJsonBytes } from "./body.js";
import { HttpError } from "./http-errors.js";
import type { PlatformCore } from "./platform-core.js";
import { methodNotAllowed } from "./route.js";
import { operationPath, WORKER_OPERATIONS, type WorkerOperation } from "./worker-operations.js";

/**
 * The in-process worker link of `--rp_serve_api`: a worker in this process calls the operations of
 * `worker-operations.ts` directly, with the same key check, endpoint check, routing, body limits
 * and answers as the HTTP routes, but without a socket, HTTP parsing, Hono, or a
 * `Request`/`Response`/`AbortSignal`/stream per call: at thousands of jobs a second those cost
 * more than the queue itself. External workers still connect over HTTP; cross-site rules do not
 * apply here (no browser can reach a function).
 */
export function createWorkerLink(core: PlatformCore, logger: Logger): WorkerLink {
  const { apiKey, endpointId } = core.options;
  const authorized = apiKey === undefined ? undefined : apiKeyCheck(apiKey);
  const operations = new Map(WORKER_OPERATIONS.map((op) => [op.name, op]));

  return async (call) => {
    const { path, search } = splitUrl(call.url);
    try {
      if (authorized && !authorized(call.authorization)) return error(401, UNAUTHORIZED);
      const segments = path.split("/").map(decodeSegment);
      let rest = segments.slice(1);
      if (segments[1] === "v2" && segments.length > 3) {
        const id = segments[2] as string;
        if (id !== endpointId) return error(404, unknownEndpoint(id, endpointId));
        rest = segments.slice(3);
      }
      const op = operations.get(rest[0] as string);
      const params = rest.slice(1);
      if (!op || params.length !== op.params.length || params.includes("")) {
        return error(404, noRoute(call.method, path));
      }
      if (call.method !== op.method) return notAllowed(call.method, op);
      let query: URLSearchParams | undefined;
      const reply = await op.run(core, {
        params,
        query: (name) => {
          query ??= new URLSearchParams(search);
          return query.get(name) ?? undefined;
        },
        json: async (limit) => readJsonBytes(call.body, limit),
        hangup: call.signal,
      });
      if (reply.status === 204) return { status: 204, text: "" };
      if (reply.status === 200) return json(200, reply.json);
      return error(reply.status, reply.error);
    } catch (thrown) {
      if (thrown instanceof HttpError) return error(thrown.status, thrown.message);
      logger.error(`local platform: ${call.method} ${path} failed`, thrown);
      return error(500, "internal error in the local platform");
    }
  };
}

/** The path and query of an absolute URL, without building a `URL`. */
function splitUrl(url: string): { path: string; search: string } {
  const authority = url.indexOf("//");
  const start = url.indexOf("/", authority < 0 ? 0 : authority + 2);
  if (start < 0) return { path: "/", search: "" };
  const q = url.indexOf("?", start);
  return q < 0
    ? { path: url.slice(start), search: "" }
    : { path: url.slice(start, q), search: url.slice(q + 1) };
}

/** As Hono decodes path parameters: percent-escapes decoded, a malformed one left as sent. */
function decodeSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function json(status: number, body: unknown): WorkerAnswer {
  return { status, contentType: "application/json", text: JSON.stringify(body) };
}

function error(status: number, message: string): WorkerAnswer {
  return json(status, { error: message });
}

function notAllowed(method: string, op: WorkerOperation): WorkerAnswer {
  return error(405, methodNotAllowed(method, operationPath(op), [op.method]));
}
