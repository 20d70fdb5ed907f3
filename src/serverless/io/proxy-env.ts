/**
 * Whether the environment's proxy settings would route a URL through a proxy, read as Python's
 * `requests` reads them (`<scheme>_proxy` then `all_proxy`, lower case first; `no_proxy` exempts
 * hosts by name suffix, `*`, or for IP literals by address or CIDR range). The download guard
 * refuses such URLs: through a proxy the proxy resolves the name, so the address it connects to
 * is not the one we validated.
 */
import { isIP } from "node:net";
import { isAddressOrRange, trustedAddresses } from "./address-policy.js";

type Env = Readonly<Record<string, string | undefined>>;

const read = (env: Env, name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || "";

function exempt(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    if (isIP(host) && isAddressOrRange(entry)) {
      if (trustedAddresses([entry])(host)) return true;
      continue;
    }
    const [name, entryPort] = entry.replace(/^\[|\]$/g, "").split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) continue;
    const suffix = (name ?? "").replace(/^\*?\./, "");
    if (host === suffix || host.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

/** The proxy that would carry `url`, or `undefined` when it would be fetched directly. */
export function proxyFor(url: URL, env: Env): string | undefined {
  const scheme = url.protocol.slice(0, -1);
  const proxy = read(env, `${scheme}_proxy`) || read(env, "all_proxy");
  if (!proxy) return undefined;
  return exempt(url, read(env, "no_proxy")) ? undefined : proxy;
}
