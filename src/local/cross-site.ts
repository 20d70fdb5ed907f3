import type { MiddlewareHandler } from "hono";
import { jsonError } from "./http-errors.js";
import { isLoopbackHost, LOOPBACK_BINDS } from "./loopback.js";

/**
 * Refuses requests that a browser sends from a page of another site. Without an API key the
 * platform is open, and a web page can send a "simple" cross-site POST (a form, or `fetch` with a
 * text body) that needs no CORS permission: it could submit or cancel jobs on your machine. Such a
 * request carries the page's `Origin`; SDKs, curl and workers send none. Pages on loopback origins
 * (the dashboard, a front end on localhost:3000) pass. On a wider bind (the user chose to expose
 * the platform) so do pages served from the host the request was addressed to; on a loopback bind
 * that would let a page that points its own name at 127.0.0.1 (DNS rebinding) in.
 */
export function refuseCrossSite(bindHost: string): MiddlewareHandler {
  const sameHostAllowed = !LOOPBACK_BINDS.has(bindHost);
  const allowed = `web pages may call this platform from loopback origins (localhost, 127.0.0.1, [::1])${sameHostAllowed ? " or from the host they address" : ""}`;
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    let host = "";
    try {
      host = new URL(origin).host;
    } catch {
      // "null" (sandboxed frames, file: pages) and anything else that is not a URL: refused.
    }
    if (host && isLoopbackHost(host)) return next();
    if (host && sameHostAllowed && host === c.req.header("host")) return next();
    return jsonError(c, 403, `cross-site request refused: ${allowed}, not from ${origin}`);
  };
}
