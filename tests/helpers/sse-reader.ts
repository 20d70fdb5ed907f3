/** Reads a `text/event-stream` response incrementally, frame by frame, as a browser would. */
export interface SseFrame {
  event: string;
  data: string;
}

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  readonly frames: SseFrame[] = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next frame; `undefined` when the server ended the stream. */
  async next(): Promise<SseFrame | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end !== -1) {
        const text = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const frame: SseFrame = { event: "message", data: "" };
        const data: string[] = [];
        for (const line of text.split("\n")) {
          if (line.startsWith("event:")) frame.event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        frame.data = data.join("\n");
        this.frames.push(frame);
        return frame;
      }
      const { done, value } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** Reads frames until `match` returns a value for one; fails if the stream ends first. */
  async until<T>(match: (frame: SseFrame) => T | undefined): Promise<T> {
    for (;;) {
      const frame = await this.next();
      if (!frame) throw new Error("the event stream ended first");
      const found = match(frame);
      if (found !== undefined) return found;
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}
