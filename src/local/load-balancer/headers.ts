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
 * The lengths of the names above: a name of another length is forwarded without being lower-cased
 * (most are, on every request and every response).
 */
const HOP_BY_HOP_LENGTHS = new Set([...HOP_BY_HOP].map((name) => name.length));
const CONNECTION = "connection";

/**
 * A message's headers in `rawHeaders` form (name, value, name, value…), names' case and repeats
 * kept, without hop-by-hop headers and those its `Connection` header names. With `keepUpgrade`,
 * `Connection` and `Upgrade` stay: they are the WebSocket handshake itself.
 */
export function endToEnd(raw: readonly string[], keepUpgrade = false): string[] {
  const named = connectionNamed(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const original = raw[i] as string;
    if (named !== undefined || HOP_BY_HOP_LENGTHS.has(original.length)) {
      const name = original.toLowerCase();
      const handshake = keepUpgrade && (name === CONNECTION || name === "upgrade");
      if (!handshake && (HOP_BY_HOP.has(name) || named?.has(name))) continue;
    }
    out.push(original, raw[i + 1] as string);
  }
  return out;
}

/**
 * The headers a `Connection` header names besides the hop-by-hop ones, lower-cased; `undefined`
 * when it names none (`Connection: keep-alive`, `close`, or no such header: the common cases).
 */
function connectionNamed(raw: readonly string[]): Set<string> | undefined {
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== CONNECTION.length || name.toLowerCase() !== CONNECTION) continue;
    for (const part of (raw[i + 1] as string).split(",")) {
      const token = part.trim().toLowerCase();
      if (token === "close" || HOP_BY_HOP.has(token)) continue;
      named ??= new Set();
      named.add(token);
    }
  }
  return named;
}

/**
 * The `Content-Length` of a message in `rawHeaders` form, or `undefined` when it has none: read
 * from the raw list, as building Node's lower-cased header object for it costs more.
 */
export function contentLength(raw: readonly string[]): number | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      return Number(raw[i + 1]);
    }
  }
  return undefined;
}

/** Whether a message in `rawHeaders` form has a `Transfer-Encoding` header (its body is chunked). */
export function hasTransferEncoding(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 17 && name.toLowerCase() === "transfer-encoding") return true;
  }
  return false;
}
