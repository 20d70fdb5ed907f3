/** Which worker fixtures `fixtures-build.ts` bundles, and where each bundle lands. */
import { basename, dirname, join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
/** Inside the repository, so a bundle's bare imports (hono, ws) resolve from its node_modules. */
const BUNDLES = join(ROOT, "node_modules", ".cache", "runpod-ts-test-fixtures");
const FIXTURE_DIRS = ["tests/serverless/fixtures", "tests/e2e/fixtures"].map((d) => join(ROOT, d));

export const bundling = { root: ROOT, outdir: BUNDLES, dirs: FIXTURE_DIRS };

/**
 * Fixtures that keep running under tsx. upload-memory.ts samples the process's array-buffer peak
 * against a bound (80 MiB) set while it ran under tsx; bundled, its peak was 84-94 MiB in five
 * runs out of five (GC timing, not what upload holds), so its bound would need a new calibration.
 */
export const UNBUNDLED = new Set(["upload-memory.ts"]);

/** The bundle of the fixture at `source` (an absolute path), or undefined when none is built. */
export function bundleOf(source: string): string | undefined {
  if (!source.endsWith(".ts") || !FIXTURE_DIRS.includes(dirname(source))) return undefined;
  if (UNBUNDLED.has(basename(source))) return undefined;
  return join(BUNDLES, relative(ROOT, source)).replace(/\.ts$/, ".mjs");
}
