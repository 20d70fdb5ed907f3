import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { WritableLike } from "../../output/output.js";

/** Writes each line of `source` to `sink` behind `label`, so interleaved logs stay attributable. */
export function pipeLabelled(source: Readable, sink: WritableLike, label: string): void {
  createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    sink.write(`${label} ${line}\n`);
  });
}
