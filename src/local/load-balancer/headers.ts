/** Headers of one connection, not of the message (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * A message's headers in `rawHeaders` form (name, value, name, value…), names' case and repeats
 * kept, without hop-by-hop headers and those its `Connection` header names. With `keepUpgrade`,
 * `Connection` and `Upgrade` stay: they are the WebSocket handshake itself.
 */
export function endToEnd(raw: readonly string[], keepUpgrade = false): string[] {
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== "connection") continue;
    named ??= new Set();
    for (const token of (raw[i + 1] as string).split(",")) named.add(token.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const handshake = keepUpgrade && (name === "connection" || name === "upgrade");
    if (!handshake && (HOP_BY_HOP.has(name) || named?.has(name))) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}
