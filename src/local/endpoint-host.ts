import type { MiddlewareHandler } from "hono";
import { LB_ERROR, LB_STATUS } from "../protocol/load-balancing.js";
import { headerOf } from "./hangup.js";
import { jsonError } from "./http-errors.js";
import { hostName } from "./loopback.js";

/**
 * Production addresses a load-balancing endpoint by host, `https://<id>.api.runpod.ai` (spec
 * load-balancing.md §3). Locally each server of the platform is reached on its own port, and a
 * request may also name an endpoint the same way, as `<id>.localhost[:port]` (curl and browsers
 * resolve `*.localhost` to loopback; `LoadBalancerEndpoint` derives exactly this host from a
 * `RUNPOD_ENDPOINT_BASE_URL` of `http://localhost:<port>/v2`).
 */

/** The endpoint id a `Host` names as `<id>.localhost[:port]`, else `undefined`. */
export function endpointOfHost(host: string): string | undefined {
  const name = hostName(host);
  return name.endsWith(".localhost") ? name.slice(0, -".localhost".length) : undefined;
}

/** A request refused because its host names an endpoint this server does not serve. */
export interface HostRefusal {
  status: 400 | 404;
  error: string;
}

/**
 * The check a server applies to the endpoint a request's host names. `served` is the id of the
 * load-balancing endpoint this server is (none for the queue API's server). A host naming a queue
 * endpoint is what production answers `{"error":"not allowed for QB API"}` to (§3; we pick 400,
 * §10.17); any other name but `served` is 404. Hosts that name no endpoint pass.
 */
export function endpointHostCheck(
  served: string | undefined,
  queueEndpointId: string,
): (host: string) => HostRefusal | undefined {
  const own = served?.toLowerCase();
  const queue = queueEndpointId.toLowerCase();
  return (host) => {
    const named = endpointOfHost(host);
    if (named === undefined || named === own) return undefined;
    if (named === queue) {
      return { status: LB_STATUS.notAllowedForQueue, error: LB_ERROR.notAllowedForQueue };
    }
    return {
      status: 404,
      error: `no load-balancing endpoint ${named} here${served === undefined ? "" : `; this port serves ${served}`}`,
    };
  };
}

/**
 * `endpointHostCheck` as the queue API's middleware: its server is no endpoint's LB host, so a
 * request to `<queue id>.localhost:<its port>` (the LB URL a client derives for the queue
 * endpoint) is 400 `not allowed for QB API`, and any other named host 404.
 */
export function refuseEndpointHosts(queueEndpointId: string): MiddlewareHandler {
  const check = endpointHostCheck(undefined, queueEndpointId);
  return async (c, next) => {
    const refused = check(headerOf(c, "host") ?? new URL(c.req.url).host);
    return refused === undefined ? next() : jsonError(c, refused.status, refused.error);
  };
}
