/**
 * A worker that imports the package root (`import { serverless } from "runpod-ts"`) must not pay
 * for the rest of the package: the built root loads no more than `runpod-ts/serverless` does,
 * within a few MB, until an API or platform feature is used.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const dist = join(import.meta.dirname, "..", "dist");

/** The packages the built file loads through its static imports (chunks followed). */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  // esbuild writes double quotes, Rollup (the root's and the worker's files) single ones.
  const imports =
    /^(?:import|export)\s[^;]*?from\s*["']([^"']+)["'];?$|^import\s*["']([^"']+)["'];?$/gm;
  for (const match of source.matchAll(imports)) {
    const spec = (match[1] ?? match[2]) as string;
    if (spec.startsWith(".")) {
      for (const p of staticPackages(join(dirname(file), spec), seen)) packages.add(p);
    } else if (!spec.startsWith("node:")) packages.add(spec.split("/")[0] as string);
  }
  return packages;
}

/** Resident memory after importing `entry` in a fresh Node, in MB (median of three). */
function rssAfterImport(entry: string): number {
  const runs = [0, 1, 2].map(() =>
    Number(
      execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `await import(${JSON.stringify(entry)}); console.log(process.memoryUsage().rss)`,
        ],
        { encoding: "utf8" },
      ),
    ),
  );
  return (runs.sort((a, b) => a - b)[1] as number) / 2 ** 20;
}

describe("the root entry's import cost", () => {
  it("loads none of zod, GraphQL, Hono or undici up front", () => {
    const packages = staticPackages(join(dist, "index.js"));
    for (const heavy of ["zod", "graphql", "graphql-request", "hono", "@hono", "undici"]) {
      expect(packages).not.toContain(heavy);
    }
  });

  // RSS grows in steps: on Node 20 here, importing either the API or the endpoint client's Node
  // build beside the worker added ~4.8 MB, and both together ~5.1 MB, while their code is ~100 KB
  // and the heavy packages stay out (above). Measured 2026-12-02: serverless 44.3 MB, root 49.6 MB
  // (it was 4 MB when the worker entry itself was 4 MB heavier). Both have been Rollup files since
  // 2026-12-03 (scripts/rollup-esm.ts), a few files each instead of ~20: serverless 43.0 MB, root
  // 44.3 MB (the esbuild files of that build: 48.8 and 49.8 MB).
  it("costs within 6 MB of runpod-ts/serverless", () => {
    const serverless = rssAfterImport(join(dist, "serverless", "index.js"));
    const root = rssAfterImport(join(dist, "index.js"));
    expect(root - serverless).toBeLessThan(6);
  });
});
