/** Loopback names, in one place for the platform's host and origin checks. */

/** Bind addresses that reach this machine only. */
export const LOOPBACK_BINDS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "::1"]);

/** Host names (as in a `Host` header or a URL, IPv6 in brackets) that mean this machine. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether `host` (`name` or `name:port`, as in a `Host` header or `URL#host`) means this machine.
 * Names under `.localhost` count (RFC 6761: browsers and curl resolve them to loopback themselves,
 * so no DNS answer can point them elsewhere); they address an endpoint by name (`endpoint-host.ts`).
 */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host);
  return LOOPBACK_NAMES.has(name) || name.endsWith(".localhost");
}

/** `host` without its port, lower-cased. */
export function hostName(host: string): string {
  return host.replace(/:\d+$/, "").toLowerCase();
}
