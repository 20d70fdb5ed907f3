const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface SpinnerStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface SpinnerOptions {
  /** Waits shorter than this show nothing, so quick calls do not flicker. */
  delayMs?: number;
  intervalMs?: number;
}

/**
 * Runs `task` while a spinner with `label` turns on `stream` (stderr, so stdout stays clean for
 * pipes). Only on a TTY: in logs, redrawn frames would be noise. `update` changes the label.
 */
export async function withSpinner<T>(
  stream: SpinnerStream,
  label: string,
  task: (update: (label: string) => void) => Promise<T>,
  { delayMs = 250, intervalMs = 80 }: SpinnerOptions = {},
): Promise<T> {
  if (!stream.isTTY) return task(() => {});
  let text = label;
  let frame = 0;
  let shown = false;
  const draw = () => {
    shown = true;
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`);
  };
  let ticker: NodeJS.Timeout | undefined;
  // Timers are unref'd: a spinner must never keep the process alive on its own.
  const starter = setTimeout(() => {
    draw();
    ticker = setInterval(draw, intervalMs).unref();
  }, delayMs).unref();
  try {
    return await task((next) => {
      text = next;
      if (shown) draw();
    });
  } finally {
    clearTimeout(starter);
    clearInterval(ticker);
    if (shown) stream.write("\r\x1b[2K");
  }
}
