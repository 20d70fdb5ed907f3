import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, join } from "node:path";
import { workerImports } from "./worker-imports.js";

/** Editors write a file in several steps and builds touch many: one restart per burst. */
const DEBOUNCE_MS = 150;

/**
 * Calls `onChange` with a changed path after the worker file or a local file it imports stops
 * changing for a moment; other files in the folder (scripts, notes, tests) do not count. The set
 * of files is taken again after each change, so a newly imported module is watched from then on.
 * Directories are watched (not files) because editors often replace a file rather than write it.
 */
export function watchWorker(workerFile: string, onChange: (path: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watchers: FSWatcher[] = [];
  let files = new Set<string>();

  const rewatch = () => {
    for (const w of watchers) w.close();
    files = workerImports(workerFile);
    const dirs = new Set([...files].map((f) => dirname(f)));
    watchers = [...dirs].map((dir) =>
      watch(dir, (_event, name) => {
        const path = name === null ? undefined : join(dir, basename(name));
        if (path === undefined || !files.has(path)) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          rewatch();
          onChange(path);
        }, DEBOUNCE_MS);
      }),
    );
  };
  rewatch();
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
