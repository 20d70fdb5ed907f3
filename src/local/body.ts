import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { headerOf, incomingOf } from "./hangup.js";
import { HttpError } from "./http-errors.js";

/**
 * Reads a request body as JSON without buffering more than `limit` bytes: a declared
 * Content-Length over the limit is refused before reading, and an undeclared (chunked) body is
 * cut off as soon as it passes the limit. The Content-Type is ignored on purpose: the Python
 * worker posts JSON labelled `application/x-www-form-urlencoded` (§A.4). With `optional`, an empty
 * body is `undefined` instead of an error.
 */
export async function readJsonBody(
  c: Context,
  limit: number,
  { optional = false }: { optional?: boolean } = {},
): Promise<unknown> {
  const declared = Number(headerOf(c, "content-length") ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const incoming = incomingOf(c);
  const text = incoming ? await readIncoming(incoming, limit) : await readStream(c.req.raw, limit);
  return parseJsonText(text, optional);
}

/** A body handed over in process (the worker link): the same limit and JSON checks, no stream. */
export function readJsonBytes(body: Uint8Array | undefined, limit: number): unknown {
  if (body !== undefined && body.byteLength > limit) throw tooLarge(limit);
  const text =
    body === undefined ? "" : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  return parseJsonText(text, false);
}

function parseJsonText(text: string, optional: boolean): unknown {
  if (text.trim() === "") {
    if (optional) return undefined;
    throw new HttpError(400, "request body is empty; expected JSON");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}

/**
 * Straight from the Node request (no web-stream wrapping). On overflow we stop listening and
 * pause; @hono/node-server drains or drops the rest after our 413 is sent.
 */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  if (incoming.readableEnded) return Promise.resolve("");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onFail);
      incoming.off("close", onFail);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        incoming.pause();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString("utf8"));
    };
    const onFail = () => {
      cleanup();
      reject(new HttpError(400, "request body ended before it was complete"));
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onFail);
    incoming.on("close", onFail);
  });
}

/** For non-Node adapters (and Hono's `app.request()`): the web stream, counted as it comes. */
async function readStream(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than ${limit / (1024 * 1024)} MB`);
}
