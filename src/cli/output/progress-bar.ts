import type { WritableLike } from "./output.js";

const WIDTH = 24;

export interface ProgressBar {
  /** Redraws the bar: `done` of `total`, then `detail`. */
  update(done: number, total: number, detail: string): void;
  /** Clears the bar's line. */
  stop(): void;
}

const off: ProgressBar = { update() {}, stop() {} };

/**
 * A one-line progress bar redrawn in place on `stream` (stderr). Only on a terminal: in a log or a
 * pipe, redrawn lines would be noise, so there it draws nothing.
 */
export function progressBar(stream: WritableLike, enabled = true): ProgressBar {
  if (!enabled || !stream.isTTY) return off;
  let shown = false;
  return {
    update(done, total, detail) {
      shown = true;
      const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
      const bar = "█".repeat(filled) + "░".repeat(WIDTH - filled);
      stream.write(`\r\x1b[2K${bar} ${done}/${total} ${detail}`);
    },
    stop() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
