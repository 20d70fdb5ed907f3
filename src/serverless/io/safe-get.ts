/**
 * A GET of a job-input URL under the download guard (spec platform-updates §5): http(s) only;
 * every address the host resolves to must be globally routable; the connection goes to one of
 * those validated addresses while the Host header, TLS SNI and certificate check keep the URL's
 * name (no second lookup, so no DNS-rebinding window); redirects are followed by hand, each hop
 * checked again, at most five; a URL the environment would send through a proxy is refused.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { redactUrl, SsrfError } from "../../core/io-errors.js";
import { isGloballyRoutable } from "./address-policy.js";
import { proxyFor } from "./proxy-env.js";

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (`dns.lookup` with `all: true` by default). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface GuardPolicy {
  /** False when `RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS` turned the address and proxy checks off. */
  checkAddresses: boolean;
  /** Addresses the caller explicitly trusts although they are not globally routable. */
  trusted: (address: string) => boolean;
  resolve: Resolver;
  env: Readonly<Record<string, string | undefined>>;
}

export interface SafeGetOptions {
  policy: GuardPolicy;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
export const MAX_REDIRECTS = 5;

async function validatedAddresses(url: URL, policy: GuardPolicy): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let found: readonly ResolvedAddress[];
  const literal = isIP(host);
  try {
    // An address literal is its own answer: no resolver may turn it into another address.
    found = literal
      ? [{ address: host, family: literal === 6 ? 6 : 4 }]
      : await policy.resolve(host);
  } catch (error) {
    throw new SsrfError(
      "unresolvable",
      `Could not resolve host ${JSON.stringify(host)}: ${String(error)}`,
    );
  }
  const unique = [...new Map(found.map((a) => [a.address, a])).values()];
  if (unique.length === 0)
    throw new SsrfError("unresolvable", `No address found for host ${JSON.stringify(host)}`);
  if (policy.checkAddresses) {
    // One bad address blocks the URL: a host that resolves to a public and a private address
    // is treated as hostile, whichever one a connection would pick.
    const bad = unique.find((a) => !isGloballyRoutable(a.address) && !policy.trusted(a.address));
    if (bad)
      throw new SsrfError(
        "address",
        `Blocked ${redactUrl(url)}: host ${JSON.stringify(host)} resolves to ${bad.address}, which is not a public address (set RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS=true to allow private addresses)`,
      );
  }
  return unique;
}

/** A lookup that answers with the one address already validated, whatever Node asks for. */
function pinned(a: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: a.address, family: a.family }]);
    else callback(null, a.address, a.family);
  }) as LookupFunction;
}

const CONNECT_ERRORS = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EADDRNOTAVAIL",
  "ECONNRESET",
]);

function once(url: URL, a: ResolvedAddress, opts: SafeGetOptions): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const options: RequestOptions = {
    method: "GET",
    protocol: url.protocol,
    // The name stays the URL's: it becomes the Host header, the TLS SNI and the name the
    // certificate is checked against; only the lookup is answered with the validated address.
    hostname: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: opts.headers,
    lookup: pinned(a),
    agent: false,
    timeout: opts.timeoutMs,
    signal: opts.signal,
  };
  return new Promise((resolve, reject) => {
    const req = request(options, resolve);
    req.on("timeout", () =>
      req.destroy(
        Object.assign(new Error(`no response within ${opts.timeoutMs} ms`), { code: "ETIMEDOUT" }),
      ),
    );
    req.on("error", reject);
    req.end();
  });
}

/** Tries each validated address in turn, moving on only when the connection itself failed. */
async function firstReachable(
  url: URL,
  addresses: readonly ResolvedAddress[],
  opts: SafeGetOptions,
): Promise<IncomingMessage> {
  let last: unknown;
  for (const a of addresses) {
    try {
      return await once(url, a, opts);
    } catch (error) {
      last = error;
      const code = (error as { code?: unknown }).code;
      if (opts.signal?.aborted || typeof code !== "string" || !CONNECT_ERRORS.has(code))
        throw error;
    }
  }
  throw last;
}

/**
 * GETs `url` under the guard and returns the final response (any status but a redirect), its
 * body not yet read. Throws `SsrfError` for every refusal.
 */
export async function safeGet(
  url: string,
  opts: SafeGetOptions,
): Promise<{ response: IncomingMessage; url: URL }> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new SsrfError("scheme", `Not a valid URL: ${JSON.stringify(redactUrl(url))}`);
  }
  for (let hop = 0; ; hop++) {
    if (current.protocol !== "http:" && current.protocol !== "https:")
      throw new SsrfError(
        "scheme",
        `Blocked ${redactUrl(current)}: only http and https URLs may be downloaded`,
      );
    if (!current.hostname) throw new SsrfError("no-host", `Blocked ${redactUrl(current)}: no host`);
    if (opts.policy.checkAddresses) {
      const proxy = proxyFor(current, opts.policy.env);
      if (proxy)
        throw new SsrfError(
          "proxy",
          `Refusing to fetch ${redactUrl(current)} through the proxy ${redactUrl(proxy)}: the address cannot be pinned through a proxy (exempt the host with NO_PROXY, or set RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS=true)`,
        );
    }
    const addresses = await validatedAddresses(current, opts.policy);
    const response = await firstReachable(current, addresses, opts);
    if (!REDIRECTS.has(response.statusCode ?? 0)) return { response, url: current };
    response.resume();
    const location = response.headers.location;
    if (!location)
      throw new SsrfError("redirect", `Blocked ${redactUrl(current)}: a redirect without Location`);
    if (hop >= MAX_REDIRECTS)
      throw new SsrfError(
        "redirect",
        `Blocked ${redactUrl(url)}: more than ${MAX_REDIRECTS} redirects`,
      );
    current = new URL(location, current);
  }
}
