import { readFileSync, statSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";

/**
 * Relative module specifiers in JavaScript or TypeScript source: `import … from "./x"`,
 * `export … from "./x"`, `import "./x"`, `import("./x")` and `require("./x")`. A scan of the
 * text, not a parse: a specifier inside a comment or string counts too, which only means one more
 * file watched. Computed specifiers (`import(name)`) cannot be seen.
 */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"'\n]+)["']/g;

/** `./x.js` may be `x.ts` on disk (TypeScript's convention); `./x` may need an extension. */
const CANDIDATES: Record<string, string[]> = {
  ".js": [".js", ".ts", ".tsx", ".jsx"],
  ".mjs": [".mjs", ".mts"],
  ".cjs": [".cjs", ".cts"],
  "": [".ts", ".js", ".mts", ".mjs", ".tsx", ".jsx", "/index.ts", "/index.js"],
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  if (isFile(target)) return target;
  const ext = extname(target);
  const known = ext !== "" && ext in CANDIDATES;
  const stem = known ? target.slice(0, -ext.length) : target;
  for (const suffix of CANDIDATES[known ? ext : ""] ?? []) {
    if (isFile(stem + suffix)) return stem + suffix;
  }
  return undefined;
}

/**
 * The worker file and every local file it imports, directly or through other local files
 * (packages are left out: they change with an install, not an edit). What `runpod-ts dev` watches.
 */
export function workerImports(workerFile: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(workerFile)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (extname(file) === ".json") continue;
    let source: string;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      continue; // removed since: the next change event will say so
    }
    for (const match of source.matchAll(SPECIFIER)) {
      const found = resolveSpecifier(file, match[1] as string);
      if (found !== undefined && !found.includes("/node_modules/")) pending.push(found);
    }
  }
  return seen;
}
