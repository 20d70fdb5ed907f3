import type { MiddlewareHandler } from "hono";
import { headerOf } from "./hangup.js";
import { jsonError } from "./http-errors.js";
import { isLoopbackHost, LOOPBACK_BINDS } from "./loopback.js";

const REFUSED =
  "cross-site request refused: web pages may call this platform only from its own origin or a loopback one";

/**
 * Keeps web pages of other origins out of the platform, on every route. Without an API key the
 * platform is open, and a browser sends some requests without asking anyone: `<img src>`, a
 * `no-cors` fetch, a form POST. `GET /job-take` hands out a job and `GET /job-stop` swallows
 * pending stops, so even a request whose answer the page cannot read changes state. The platform
 * answers no CORS preflight, so no page of another origin has a legitimate call to make. Rules:
 *
 * 1. On a loopback bind, the `Host` must be a loopback name. A page that points its own name at
 *    127.0.0.1 (DNS rebinding) is same-origin with us and could read every answer; its requests
 *    carry its name in `Host`.
 * 2. `Sec-Fetch-Site: cross-site` or `same-site` (a page on another port of this machine is
 *    same-site) is refused: every current browser marks its requests so.
 * 3. An `Origin`, when sent, must be the origin the request addressed or a loopback origin (a
 *    dev server on localhost:3000 that proxies to the platform forwards its page's `Origin`).
 *    "null" (sandboxed frames, file: pages) is refused.
 *
 * SDKs, curl and workers send neither header; the dashboard is same-origin. Returns the refusal
 * message, or `undefined` to let the request pass; the load balancer applies the same rules.
 */
export function crossSiteCheck(bindHost: string): (headers: SiteHeaders) => string | undefined {
  const loopbackBind = LOOPBACK_BINDS.has(bindHost);
  return ({ host, origin, secFetchSite: site }) => {
    if (loopbackBind && !isLoopbackHost(host)) {
      return `request for host ${host} refused: this platform listens on loopback and answers only requests addressed to localhost, 127.0.0.1 or [::1]`;
    }
    if (site === "cross-site" || site === "same-site") {
      return `${REFUSED}, not from another origin (Sec-Fetch-Site: ${site})`;
    }
    if (!originAllowed(origin, host)) return `${REFUSED}, not from ${origin}`;
    return undefined;
  };
}

/** What `crossSiteCheck` reads of a request. */
export interface SiteHeaders {
  host: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/** `crossSiteCheck` as the queue API's middleware: 403 `{error}` when it refuses. */
export function refuseCrossSite(bindHost: string): MiddlewareHandler {
  const check = crossSiteCheck(bindHost);
  return async (c, next) => {
    const refused = check({
      host: headerOf(c, "host") ?? new URL(c.req.url).host,
      origin: headerOf(c, "origin"),
      secFetchSite: headerOf(c, "sec-fetch-site"),
    });
    return refused === undefined ? next() : jsonError(c, 403, refused);
  };
}

function originAllowed(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false; // "null" and anything else that is not a URL
  }
  return originHost !== "" && (originHost === host || isLoopbackHost(originHost));
}
