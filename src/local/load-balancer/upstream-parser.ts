/**
 * An HTTP/1.1 response parser for the load balancer's leg to its workers (RFC 9112), fed the bytes
 * of one connection as they arrive, in pieces of any size. Strict: a malformed status line or field
 * line, an oversize head, a bad chunk or ambiguous framing is an {@link UpstreamProtocolError},
 * which the proxy answers 502 without reusing the connection. 1xx answers are skipped (the request
 * never asks to upgrade, so a 101 is an error).
 */

/** Most bytes a response head, a chunk-size line or a trailer section may take: Node's own default. */
const MAX_HEAD_BYTES = 16 * 1024;

/** The worker's bytes are not a valid HTTP/1.1 response. */
export class UpstreamProtocolError extends Error {
  override readonly name = "UpstreamProtocolError";
}

/** Where a parsed response goes. */
export interface ResponseSink {
  /**
   * The final response's head: status, reason phrase, headers in `rawHeaders` form (name, value…)
   * and the body's length: 0 when it has none (HEAD, 204, 304), its `Content-Length`, or
   * `undefined` when chunked or delimited by the connection's close.
   */
  onHead(
    status: number,
    reason: string,
    rawHeaders: string[],
    bodyLength: number | undefined,
  ): void;
  onBody(chunk: Buffer): void;
  onEnd(): void;
}

const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_DATA_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const DONE = 7;

const CR = 0x0d;
const LF = 0x0a;
const HEAD_END = Buffer.from("\r\n\r\n", "latin1");

/** RFC 9110 §5.6.2 `tchar`: what a field name is made of. */
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TOKEN[c.charCodeAt(0)] = 1;
}
/** What a field value, reason phrase or chunk extension may hold: VCHAR, SP, HTAB, obs-text. */
const TEXT = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) TEXT[c] = 1;
for (let c = 0x80; c < 0x100; c++) TEXT[c] = 1;
TEXT[0x09] = 1;

const HEX = new Int8Array(256).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX["0123456789abcdef".charCodeAt(d)] = d;
  HEX["0123456789ABCDEF".charCodeAt(d)] = d;
}
/** 13 hex digits stay below 2^53: larger chunks are refused rather than miscounted. */
const MAX_CHUNK_SIZE_DIGITS = 13;

/** What the head's framing fields said. */
interface Framing {
  length: number | undefined;
  /** Content-Length came as a list or more than once (all equal): passed on as one field. */
  repeatedLength: boolean;
  chunked: boolean;
  keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=N`, in seconds. */
  keepAliveTimeout: number | undefined;
}

export class ResponseParser {
  /** The message may be followed by another on the same connection. */
  keepAlive = true;
  /** The server's idle timeout hint (`Keep-Alive: timeout=N`), in seconds. */
  keepAliveTimeout: number | undefined;
  /** Bytes came after the complete response: the connection cannot carry another. */
  extra = false;
  #sink: ResponseSink | undefined;
  #state = DONE;
  #noBody = false;
  #remaining = 0;
  /** An incomplete line or head, waiting for the rest. */
  #pending: Buffer | undefined;
  #trailerBytes = 0;

  /** Expects the response to a new request; `headRequest` when its method was HEAD. */
  start(sink: ResponseSink, headRequest: boolean): void {
    this.#sink = sink;
    this.#noBody = headRequest;
    this.#state = HEAD;
    this.#pending = undefined;
    this.keepAlive = true;
    this.keepAliveTimeout = undefined;
    this.extra = false;
  }

  /** Nothing more is parsed (the exchange is over either way). */
  stop(): void {
    this.#state = DONE;
    this.#sink = undefined;
    this.#pending = undefined;
  }

  /**
   * The connection ended: completes a response delimited by the close, throws for one cut short.
   */
  eof(): void {
    if (this.#state === UNTIL_CLOSE) {
      this.keepAlive = false;
      this.#complete();
      return;
    }
    if (this.#state !== DONE) {
      throw new UpstreamProtocolError(
        this.#state === HEAD ? "socket hang up" : "connection closed mid-response",
      );
    }
  }

  feed(data: Buffer): void {
    let chunk = data;
    if (this.#pending !== undefined) {
      chunk = Buffer.concat([this.#pending, data]);
      this.#pending = undefined;
    }
    let at = 0;
    while (at < chunk.length) {
      switch (this.#state) {
        case HEAD: {
          at = this.#head(chunk, at);
          if (at < 0) return;
          break;
        }
        case LENGTH: {
          const n = Math.min(this.#remaining, chunk.length - at);
          this.#remaining -= n;
          const piece = at === 0 && n === chunk.length ? chunk : chunk.subarray(at, at + n);
          at += n;
          this.#sink?.onBody(piece);
          if (this.#remaining === 0 && this.#state === LENGTH) this.#complete();
          break;
        }
        case CHUNK_SIZE: {
          at = this.#chunkSize(chunk, at);
          if (at < 0) return;
          break;
        }
        case CHUNK_DATA: {
          const n = Math.min(this.#remaining, chunk.length - at);
          this.#remaining -= n;
          const piece = chunk.subarray(at, at + n);
          at += n;
          if (this.#remaining === 0) this.#state = CHUNK_DATA_END;
          this.#sink?.onBody(piece);
          break;
        }
        case CHUNK_DATA_END: {
          if (chunk.length - at < 2) {
            this.#pending = chunk.subarray(at);
            return;
          }
          if (chunk[at] !== CR || chunk[at + 1] !== LF) {
            throw new UpstreamProtocolError("chunk data not followed by CRLF");
          }
          at += 2;
          this.#state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          at = this.#trailer(chunk, at);
          if (at < 0) return;
          break;
        }
        case UNTIL_CLOSE: {
          const piece = at === 0 ? chunk : chunk.subarray(at);
          at = chunk.length;
          this.#sink?.onBody(piece);
          break;
        }
        default: {
          // No pipelining: nothing may follow the response.
          if (this.#sink !== undefined) this.extra = true;
          return;
        }
      }
    }
  }

  /** Reads a head ending at CRLF CRLF; returns where the body starts, or -1 for more bytes. */
  #head(chunk: Buffer, at: number): number {
    const end = chunk.indexOf(HEAD_END, at);
    if (end < 0) {
      if (chunk.length - at > MAX_HEAD_BYTES) {
        throw new UpstreamProtocolError(`response head over ${MAX_HEAD_BYTES} bytes`);
      }
      this.#pending = at === 0 ? chunk : chunk.subarray(at);
      return -1;
    }
    if (end + 4 - at > MAX_HEAD_BYTES) {
      throw new UpstreamProtocolError(`response head over ${MAX_HEAD_BYTES} bytes`);
    }
    const lineEnd = chunk.indexOf(CR, at);
    if (chunk[lineEnd + 1] !== LF) throw new UpstreamProtocolError("malformed status line");
    const { status, reason, http10 } = statusLine(chunk, at, lineEnd);
    const raw = lineEnd === end ? [] : fieldLines(chunk, lineEnd + 2, end + 2);
    const next = end + 4;
    if (status < 200) {
      if (status === 101) throw new UpstreamProtocolError("101 Switching Protocols unasked");
      return next; // 100 Continue, 103 Early Hints…: the final answer follows
    }
    const framing = framingOf(raw, http10);
    if (framing.repeatedLength) oneContentLength(raw, framing.length as number);
    this.keepAlive = framing.keepAlive;
    this.keepAliveTimeout = framing.keepAliveTimeout;
    const sink = this.#sink;
    if (this.#noBody || status === 204 || status === 304) {
      sink?.onHead(status, reason, raw, 0);
      this.#complete();
    } else if (framing.chunked) {
      this.#state = CHUNK_SIZE;
      sink?.onHead(status, reason, raw, undefined);
    } else if (framing.length !== undefined) {
      this.#state = LENGTH;
      this.#remaining = framing.length;
      sink?.onHead(status, reason, raw, framing.length);
      if (framing.length === 0 && this.#state === LENGTH) this.#complete();
    } else {
      this.#state = UNTIL_CLOSE;
      this.keepAlive = false;
      sink?.onHead(status, reason, raw, undefined);
    }
    return next;
  }

  /** `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1); extensions are checked and ignored. */
  #chunkSize(chunk: Buffer, at: number): number {
    const eol = lineEndOf(chunk, at, "chunk-size line");
    if (eol < 0) {
      this.#pending = chunk.subarray(at);
      return -1;
    }
    let size = 0;
    let i = at;
    for (; i < eol; i++) {
      const d = HEX[chunk[i] as number] as number;
      if (d < 0) break;
      size = size * 16 + d;
    }
    const digits = i - at;
    if (digits === 0 || digits > MAX_CHUNK_SIZE_DIGITS) {
      throw new UpstreamProtocolError("bad chunk size");
    }
    // BWS ";" chunk-ext…, checked for stray control bytes only: its contents are not used.
    while (i < eol && (chunk[i] === 0x20 || chunk[i] === 0x09)) i++;
    if (i < eol && chunk[i] !== 0x3b) throw new UpstreamProtocolError("bad chunk extension");
    for (; i < eol; i++) {
      if (TEXT[chunk[i] as number] === 0) throw new UpstreamProtocolError("bad chunk extension");
    }
    if (size === 0) {
      this.#state = TRAILERS;
      this.#trailerBytes = 0;
    } else {
      this.#state = CHUNK_DATA;
      this.#remaining = size;
    }
    return eol + 2;
  }

  /** One trailer field line, or the empty line ending the message; trailers are dropped. */
  #trailer(chunk: Buffer, at: number): number {
    const eol = lineEndOf(chunk, at, "trailer line");
    if (eol < 0) {
      if (this.#trailerBytes + chunk.length - at > MAX_HEAD_BYTES) {
        throw new UpstreamProtocolError(`trailer section over ${MAX_HEAD_BYTES} bytes`);
      }
      this.#pending = chunk.subarray(at);
      return -1;
    }
    this.#trailerBytes += eol + 2 - at;
    if (this.#trailerBytes > MAX_HEAD_BYTES) {
      throw new UpstreamProtocolError(`trailer section over ${MAX_HEAD_BYTES} bytes`);
    }
    if (eol === at) {
      this.#complete();
    } else {
      fieldLines(chunk, at, eol + 2);
    }
    return eol + 2;
  }

  #complete(): void {
    this.#state = DONE;
    const sink = this.#sink;
    sink?.onEnd();
  }
}

/**
 * Where the CRLF ending the line from `at` starts, or -1 when it has not arrived (a line longer
 * than the head cap is refused then). A bare LF is refused.
 */
function lineEndOf(chunk: Buffer, at: number, what: string): number {
  const lf = chunk.indexOf(LF, at);
  if (lf < 0) {
    if (chunk.length - at > MAX_HEAD_BYTES) throw new UpstreamProtocolError(`${what} too long`);
    return -1;
  }
  if (lf === at || chunk[lf - 1] !== CR) throw new UpstreamProtocolError(`bare LF in ${what}`);
  return lf - 1;
}

/** `HTTP/1.x SP 3DIGIT SP [ reason-phrase ]` from `at` to the CR at `end`. */
function statusLine(
  chunk: Buffer,
  at: number,
  end: number,
): { status: number; reason: string; http10: boolean } {
  // "HTTP/1." then 0 or 1, SP, three digits, then nothing or SP and the reason.
  const ok =
    end - at >= 12 &&
    chunk[at] === 0x48 &&
    chunk[at + 1] === 0x54 &&
    chunk[at + 2] === 0x54 &&
    chunk[at + 3] === 0x50 &&
    chunk[at + 4] === 0x2f &&
    chunk[at + 5] === 0x31 &&
    chunk[at + 6] === 0x2e &&
    (chunk[at + 7] === 0x30 || chunk[at + 7] === 0x31) &&
    chunk[at + 8] === 0x20 &&
    isDigit(chunk[at + 9]) &&
    isDigit(chunk[at + 10]) &&
    isDigit(chunk[at + 11]) &&
    (end - at === 12 || chunk[at + 12] === 0x20);
  if (!ok) throw new UpstreamProtocolError("malformed status line");
  const status =
    ((chunk[at + 9] as number) - 48) * 100 +
    ((chunk[at + 10] as number) - 48) * 10 +
    ((chunk[at + 11] as number) - 48);
  if (status < 100) throw new UpstreamProtocolError("malformed status line");
  for (let i = at + 13; i < end; i++) {
    if (TEXT[chunk[i] as number] === 0) throw new UpstreamProtocolError("malformed status line");
  }
  const reason = end - at > 13 ? chunk.toString("latin1", at + 13, end) : "";
  return { status, reason, http10: chunk[at + 7] === 0x30 };
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/**
 * Field lines `name ":" OWS value OWS CRLF` from `at` up to `end` (just past the last CRLF), as
 * `rawHeaders` (latin1, as Node decodes them). Whitespace before the colon and obs-fold
 * continuation lines are refused (RFC 9112 §5.1, §5.2).
 */
function fieldLines(chunk: Buffer, at: number, end: number): string[] {
  const raw: string[] = [];
  let i = at;
  while (i < end) {
    const nameStart = i;
    while (TOKEN[chunk[i] as number] === 1) i++;
    if (i === nameStart || chunk[i] !== 0x3a) throw new UpstreamProtocolError("malformed header");
    const name = chunk.toString("latin1", nameStart, i);
    i++;
    while (chunk[i] === 0x20 || chunk[i] === 0x09) i++;
    const valueStart = i;
    while (TEXT[chunk[i] as number] === 1) i++;
    if (chunk[i] !== CR || chunk[i + 1] !== LF) throw new UpstreamProtocolError("malformed header");
    let valueEnd = i;
    while (
      valueEnd > valueStart &&
      (chunk[valueEnd - 1] === 0x20 || chunk[valueEnd - 1] === 0x09)
    ) {
      valueEnd--;
    }
    raw.push(name, chunk.toString("latin1", valueStart, valueEnd));
    i += 2;
  }
  return raw;
}

/**
 * Leaves one `Content-Length` field with the single value of equal repeated ones (RFC 9112 §6.3
 * allows accepting them): a client downstream may refuse the list.
 */
function oneContentLength(raw: string[], length: number): void {
  let kept = false;
  for (let i = 0; i < raw.length; ) {
    const name = raw[i] as string;
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      if (kept) {
        raw.splice(i, 2);
        continue;
      }
      raw[i + 1] = String(length);
      kept = true;
    }
    i += 2;
  }
}

/**
 * Content-Length, Transfer-Encoding, Connection and Keep-Alive (RFC 9112 §6.3, §9.3). Refused as
 * ambiguous: both Content-Length and Transfer-Encoding (a smuggling vector), Content-Length values
 * that differ or are not digits, and a transfer coding other than a single `chunked`, which the
 * balancer could not pass on (it re-frames every body).
 */
function framingOf(raw: readonly string[], http10: boolean): Framing {
  let length: number | undefined;
  let lengths = 0;
  let chunked = false;
  let transferEncoding = false;
  let close = false;
  let keepAliveToken = false;
  let keepAliveTimeout: number | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const n = name.length;
    if (n !== 14 && n !== 17 && n !== 10) continue;
    const lower = name.toLowerCase();
    if (lower === "content-length") {
      for (const part of value.split(",")) {
        const digits = part.trim();
        if (!/^\d{1,15}$/.test(digits)) throw new UpstreamProtocolError("invalid Content-Length");
        const parsed = Number(digits);
        if (length !== undefined && length !== parsed) {
          throw new UpstreamProtocolError("conflicting Content-Length values");
        }
        length = parsed;
        lengths++;
      }
    } else if (lower === "transfer-encoding") {
      for (const part of value.split(",")) {
        const coding = part.trim().toLowerCase();
        if (coding === "") continue;
        if (coding !== "chunked" || chunked) {
          throw new UpstreamProtocolError(`unsupported Transfer-Encoding: ${value}`);
        }
        chunked = true;
      }
      transferEncoding = true;
    } else if (lower === "connection") {
      for (const part of value.split(",")) {
        const token = part.trim().toLowerCase();
        if (token === "close") close = true;
        else if (token === "keep-alive") keepAliveToken = true;
      }
    } else if (lower === "keep-alive") {
      const match = /(?:^|[,;\s])timeout\s*=\s*(\d+)/i.exec(value);
      if (match !== null) keepAliveTimeout = Number(match[1]);
    }
  }
  if (transferEncoding && !chunked) throw new UpstreamProtocolError("empty Transfer-Encoding");
  if (transferEncoding && length !== undefined) {
    throw new UpstreamProtocolError("both Content-Length and Transfer-Encoding");
  }
  if (transferEncoding && http10) {
    throw new UpstreamProtocolError("Transfer-Encoding in an HTTP/1.0 response");
  }
  return {
    length,
    repeatedLength: lengths > 1,
    chunked,
    keepAlive: !close && (!http10 || keepAliveToken),
    keepAliveTimeout,
  };
}
