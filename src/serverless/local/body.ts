import { HttpError } from "./http-errors.js";

/**
 * Reads a request body as JSON without buffering more than `limit` bytes: a declared
 * Content-Length over the limit is refused before reading, and an undeclared (chunked) body is
 * cut off as soon as it passes the limit. The Content-Type is ignored on purpose: the Python
 * worker posts JSON labelled `application/x-www-form-urlencoded` (§A.4).
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const text = await readText(req, limit);
  if (text.trim() === "") throw new HttpError(400, "request body is empty; expected JSON");
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}

async function readText(req: Request, limit: number): Promise<string> {
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
