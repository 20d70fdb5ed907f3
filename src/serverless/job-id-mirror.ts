/**
 * The in-progress job ids in shared memory, so the heartbeat thread can read them while the main
 * thread is blocked by a synchronous handler (§A.7). Layout: int32 sequence number (odd while a
 * write is under way), int32 byte length, then the comma-joined ids in UTF-8. Like Python's
 * 64 KiB mirror, a list that does not fit is cut after the last id that does.
 */
export const MIRROR_BYTES = 64 * 1024;
const HEADER = 8;

const encoder = new TextEncoder();

export class JobIdMirror {
  readonly buffer = new SharedArrayBuffer(HEADER + MIRROR_BYTES);
  private readonly meta = new Int32Array(this.buffer, 0, 2);
  private readonly bytes = new Uint8Array(this.buffer, HEADER);

  /** Called on every add and remove, so it encodes straight into shared memory in one pass. */
  write(ids: Iterable<string>): void {
    const text = [...ids].join(",");
    Atomics.add(this.meta, 0, 1);
    const { read, written } = encoder.encodeInto(text, this.bytes);
    let length = written;
    if (read < text.length) {
      // Did not fit: keep only whole ids (cut before the comma that follows the last whole one).
      const comma = this.bytes.lastIndexOf(0x2c, written - 1);
      length = text[read] === "," ? written : Math.max(0, comma);
    }
    Atomics.store(this.meta, 1, length);
    Atomics.add(this.meta, 0, 1);
  }
}

/**
 * Reads the ids back: the source text of `readMirror(buffer)` for the heartbeat thread, which
 * evaluates it. Text rather than a compiled function's `toString()`: coverage instrumentation
 * and some bundlers rewrite compiled functions to reference module-scope helpers the thread does
 * not have. The layout is written down only here and in `write` above.
 */
export const READ_MIRROR_SOURCE = `function readMirror(buffer) {
  const meta = new Int32Array(buffer, 0, 2);
  const bytes = new Uint8Array(buffer, ${HEADER});
  for (let attempt = 0; attempt < 1000; attempt++) {
    const before = Atomics.load(meta, 0);
    if (before % 2 === 1) continue;
    const text = new TextDecoder().decode(bytes.slice(0, Atomics.load(meta, 1)));
    if (Atomics.load(meta, 0) === before) return text;
  }
  return "";
}`;
