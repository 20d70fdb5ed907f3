import { relative } from "node:path";
import { watchWorker } from "./watch.js";

/**
 * Restarts the worker processes when the worker file or a local file it imports changes (see
 * `watchWorker`): one restart at a time, and changes during a restart cause one more afterwards.
 * Returns the function that stops watching.
 */
export function restartOnChange(
  workerFile: string,
  restart: () => Promise<void>,
  note: (text: string) => void,
): () => void {
  let running: Promise<void> | undefined;
  let again = false;
  const onChange = (path: string): void => {
    if (running !== undefined) {
      again = true;
      return;
    }
    note(`${relative(process.cwd(), path) || path} changed; restarting the worker`);
    running = restart().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        onChange(path);
      }
    });
  };
  return watchWorker(workerFile, onChange);
}

/** Resolves on the first SIGINT or SIGTERM: dev runs in the foreground until then. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
