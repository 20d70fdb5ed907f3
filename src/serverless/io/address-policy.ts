/**
 * Which IP addresses a job-input download may connect to (spec platform-updates §5): globally
 * routable unicast only. IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, the
 * deprecated compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4
 * address inside, so `::ffff:169.254.169.254` is as blocked as `169.254.169.254`.
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";

const blockedV4 = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network", incl. the unspecified 0.0.0.0
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT shared space
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. the 169.254.169.254 metadata service
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast
] as const) {
  blockedV4.addSubnet(net, bits, "ipv4");
}

const blockedV6 = new BlockList();
for (const [net, bits] of [
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID, benchmarking...)
  ["2001:db8::", 32], // documentation
  ["3fff::", 20], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blockedV6.addSubnet(net, bits, "ipv6");
}

/** The eight 16-bit groups of an IPv6 address (`net.isIPv6` already holds). */
function groupsOf(address: string): number[] {
  let text = address.split("%")[0] ?? address; // zone id
  // A trailing dotted quad becomes two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(":").map((g) => Number.parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...new Array<number>(zeros).fill(0), ...right];
}

const v4From = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that embed one. */
function embeddedV4(g: number[]): string | undefined {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(5) && g[5] === 0xffff) return v4From(g[6] ?? 0, g[7] ?? 0); // mapped
  if (zeroUpTo(6)) return v4From(g[6] ?? 0, g[7] ?? 0); // compatible (and :: / ::1, judged as 0.0.0.x)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return v4From(g[6] ?? 0, g[7] ?? 0); // NAT64
  if (g[0] === 0x2002) return v4From(g[1] ?? 0, g[2] ?? 0); // 6to4
  return undefined;
}

/** True only for a globally routable unicast address; anything unparseable is not. */
export function isGloballyRoutable(address: string): boolean {
  if (isIPv4(address)) return !blockedV4.check(address, "ipv4");
  if (!isIPv6(address)) return false;
  const g = groupsOf(address);
  const v4 = embeddedV4(g);
  if (v4 !== undefined) return !blockedV4.check(v4, "ipv4");
  // Global unicast is 2000::/3; everything outside it is reserved or special.
  if (((g[0] ?? 0) & 0xe000) !== 0x2000) return false;
  return !blockedV6.check(address.split("%")[0] ?? address, "ipv6");
}

function parseEntry(entry: string) {
  const [net = "", bitsText] = entry.split("/");
  const family = isIPv4(net) ? ("ipv4" as const) : isIPv6(net) ? ("ipv6" as const) : undefined;
  const bits = bitsText === undefined ? undefined : Number(bitsText);
  const max = family === "ipv4" ? 32 : 128;
  const ok = family && (bits === undefined || (Number.isInteger(bits) && bits >= 0 && bits <= max));
  return ok ? { net, bits, family } : undefined;
}

/** An IP address or a CIDR range such as `10.2.0.0/16`. */
export const isAddressOrRange = (entry: string): boolean => parseEntry(entry) !== undefined;

/**
 * Addresses or CIDR ranges a caller explicitly trusts (`allowAddresses`), e.g. an in-cluster model
 * store. Throws on an entry that is neither.
 */
export function trustedAddresses(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (!parsed) throw new TypeError(`not an IP address or CIDR range: ${JSON.stringify(entry)}`);
    if (parsed.bits === undefined) list.addAddress(parsed.net, parsed.family);
    else list.addSubnet(parsed.net, parsed.bits, parsed.family);
  }
  return (address) => list.check(address, isIPv4(address) ? "ipv4" : "ipv6");
}
