import type { IncomingMessage } from "node:http";
import { apiKeyCheck, UNAUTHORIZED } from "../auth.js";
import { crossSiteCheck } from "../cross-site.js";
import { endpointHostCheck } from "../endpoint-host.js";

/** A request the load balancer refuses before any worker sees it. */
export interface GateRefusal {
  status: 400 | 401 | 403 | 404;
  error: string;
}

/** Who the balancer is, for the checks of `gate`. */
export interface GateOptions {
  bindHost: string;
  apiKey: string | undefined;
  /** The id of the load-balancing endpoint this balancer serves. */
  endpointId: string;
  /** The platform's queue endpoint, whose LB host is refused (spec §3, §10.17). */
  queueEndpointId: string;
}

/**
 * The queue API's rules in front of the load balancer (`cross-site.ts`, `auth.ts`): on a loopback
 * bind only requests addressed to a loopback name (what a worker answers is the app's data, which
 * a DNS-rebinding page could otherwise read), no pages of other origins, and the API key when one
 * is set. Before the key, as production routes by host first, a host that names an endpoint
 * (`<id>.localhost`) must name this one (`endpoint-host.ts`): the queue endpoint's is 400
 * `not allowed for QB API`, others 404.
 */
export function gate(options: GateOptions): (req: IncomingMessage) => GateRefusal | undefined {
  const crossSite = crossSiteCheck(options.bindHost);
  const keyed = options.apiKey === undefined ? undefined : apiKeyCheck(options.apiKey);
  const named = endpointHostCheck(options.endpointId, options.queueEndpointId);
  return (req) => {
    const host = req.headers.host ?? "";
    const refused = crossSite({
      host,
      origin: req.headers.origin,
      secFetchSite: req.headers["sec-fetch-site"] as string | undefined,
    });
    if (refused !== undefined) return { status: 403, error: refused };
    const elsewhere = named(host);
    if (elsewhere !== undefined) return elsewhere;
    if (keyed !== undefined && !keyed(req.headers.authorization)) {
      return { status: 401, error: UNAUTHORIZED };
    }
    return undefined;
  };
}
