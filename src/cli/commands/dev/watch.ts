import { watch } from "node:fs";
import { extname, join } from "node:path";

const SOURCE = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".json"]);
const IGNORED = /(^|[/\\])(node_modules|\.git)([/\\]|$)/;
/** Editors write a file in several steps and builds touch many: one restart per burst. */
const DEBOUNCE_MS = 150;

/**
 * Calls `onChange` with a changed path after source files under `dir` stop changing for a moment.
 * Dependencies and VCS data are left out; so are files that are not sources (logs, outputs).
 */
export function watchSources(dir: string, onChange: (path: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name === null || IGNORED.test(name) || !SOURCE.has(extname(name))) return;
    const path = join(dir, name);
    clearTimeout(timer);
    timer = setTimeout(() => onChange(path), DEBOUNCE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
