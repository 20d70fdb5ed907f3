import type { IncomingMessage } from "node:http";
import { apiKeyCheck, UNAUTHORIZED } from "../auth.js";
import { crossSiteCheck } from "../cross-site.js";

/** A request the load balancer refuses before any worker sees it. */
export interface GateRefusal {
  status: 401 | 403;
  error: string;
}

/**
 * The queue API's rules in front of the load balancer (`cross-site.ts`, `auth.ts`): on a loopback
 * bind only requests addressed to a loopback name (what a worker answers is the app's data, which
 * a DNS-rebinding page could otherwise read), no pages of other origins, and the API key when one
 * is set.
 */
export function gate(
  bindHost: string,
  apiKey: string | undefined,
): (req: IncomingMessage) => GateRefusal | undefined {
  const crossSite = crossSiteCheck(bindHost);
  const keyed = apiKey === undefined ? undefined : apiKeyCheck(apiKey);
  return (req) => {
    const refused = crossSite({
      host: req.headers.host ?? "",
      origin: req.headers.origin,
      secFetchSite: req.headers["sec-fetch-site"] as string | undefined,
    });
    if (refused !== undefined) return { status: 403, error: refused };
    if (keyed !== undefined && !keyed(req.headers.authorization)) {
      return { status: 401, error: UNAUTHORIZED };
    }
    return undefined;
  };
}
