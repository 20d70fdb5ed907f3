import type { MiddlewareHandler } from "hono";
import { jsonError } from "../http-errors.js";
import { isLoopbackHost, LOOPBACK_BINDS } from "../loopback.js";

/**
 * On a loopback bind, the dashboard's data is answered only to requests addressed to a loopback
 * name. A web page on another site can otherwise point its own hostname at 127.0.0.1 (DNS
 * rebinding) and read the job list as same-origin. A wider bind was the user's choice to expose
 * the platform, so no check applies there.
 */
export function loopbackHostOnly(bindHost: string): MiddlewareHandler {
  const active = LOOPBACK_BINDS.has(bindHost);
  return async (c, next) => {
    if (!active) return next();
    if (isLoopbackHost(c.req.header("host") ?? "")) return next();
    return jsonError(
      c,
      403,
      "the dashboard's data is served on loopback names only (localhost, 127.0.0.1, [::1])",
    );
  };
}
