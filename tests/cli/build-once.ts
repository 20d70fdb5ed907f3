/**
 * Vitest global setup: the CLI tests spawn the built CLI (dist/cli/index.js). `npm test` builds
 * first; for a direct `npx vitest` this rebuilds only when a source file is newer than the build.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

export default function setup(): void {
  const built = join(root, "dist", "cli", "index.js");
  let builtAt = 0;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    // not built yet
  }
  const sources = ["src", "tsup.config.ts", "package.json"].map((p) => newestMtime(join(root, p)));
  if (Math.max(...sources) > builtAt) {
    execFileSync(join(root, "node_modules", ".bin", "tsup"), [], { cwd: root, stdio: "ignore" });
  }
}
