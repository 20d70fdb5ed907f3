import { type FSWatcher, readdirSync, watch } from "node:fs";
import { extname, join } from "node:path";

const SOURCE = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".json"]);
/** Dependencies and hidden directories (.git, caches): never sources, and often huge. */
const skipped = (name: string) => name === "node_modules" || name.startsWith(".");
/** Editors write a file in several steps and builds touch many: one restart per burst. */
const DEBOUNCE_MS = 150;

/**
 * Calls `onChange` with a changed path after source files in `dir` or below stop changing for a
 * moment. Subdirectories are watched one by one rather than `dir` recursively, so a worker next to
 * its `node_modules` does not put a watch on every directory of its dependencies; directories
 * created later are not watched.
 */
export function watchSources(dir: string, onChange: (path: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const listen = (base: string) => (_event: string, name: string | null) => {
    if (name === null || !SOURCE.has(extname(name))) return;
    if (name.split(/[/\\]/).some(skipped)) return;
    const path = join(base, name);
    clearTimeout(timer);
    timer = setTimeout(() => onChange(path), DEBOUNCE_MS);
  };
  const watchers: FSWatcher[] = [watch(dir, listen(dir))];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || skipped(entry.name)) continue;
    const sub = join(dir, entry.name);
    watchers.push(watch(sub, { recursive: true }, listen(sub)));
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
