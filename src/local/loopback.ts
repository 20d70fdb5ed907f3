/** Loopback names, in one place for the platform's host and origin checks. */

/** Bind addresses that reach this machine only. */
export const LOOPBACK_BINDS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "::1"]);

/** Host names (as in a `Host` header or a URL, IPv6 in brackets) that mean this machine. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Whether `host` (`name` or `name:port`, as in a `Host` header or `URL#host`) means this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.replace(/:\d+$/, "").toLowerCase());
}
