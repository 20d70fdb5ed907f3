/**
 * The ESM files of every library entry but `runpod-ts/local`, made by Rollup rather than esbuild:
 * each entry's whole static graph in one chunk (behind a short facade, `dist/<entry>.js`, where lazy
 * chunks import from it; one file where none do), instead of the 9–22 files esbuild's splitting
 * gives each. Every ESM file costs an import its own resolve, read, compile and link, and the 22
 * files of the worker's entry held ~6 MB more RSS than one (bench/RESULTS.md, "Worker notes"; the
 * endpoint client's 13 held ~5 MB more, "Endpoint client notes"). esbuild splits a module out
 * whenever another entry or a lazily imported chunk also uses it; Rollup leaves a module that the
 * importer of a lazy chunk has already loaded in the importer's chunk, so only the lazy parts
 * (fitness built-ins, serve modes, the OpenAI handler, the API's GraphQL client, the endpoint's
 * batch client) are chunks of their own.
 *
 * The root re-exports the worker from `dist/serverless/index.js`, so `runpod-ts` and
 * `runpod-ts/serverless` share one worker; the local platform the worker loads on demand is the
 * published `runpod-ts/local` file (esbuild's: all its weight is Hono and zod, so one tool or the
 * other made no difference to its import). Each build keeps its own copy of the other modules it
 * uses, as the CJS files do: the error classes are branded (core/errors.ts), so `instanceof` holds
 * across copies, and the job context is one per process (serverless/context.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { transform } from "esbuild";
import { type Plugin, rollup } from "rollup";

/** Source entries that other builds publish: imported from their dist file, never bundled. */
const PUBLISHED: Record<string, string> = {
  [resolve("src/serverless/index.ts")]: "./serverless/index.js",
  [resolve("src/local/index.ts")]: "./local/index.js",
};

/** TypeScript through esbuild, module by module; relative `.js` specifiers name `.ts` files. */
function typescript(input: string, define: Record<string, string>): Plugin {
  const tsconfigRaw = readFileSync("tsconfig.json", "utf8");
  const entry = resolve(input);
  return {
    name: "typescript",
    resolveId(source, importer) {
      if (!importer || !source.startsWith(".")) return null;
      const file = resolve(dirname(importer), source.replace(/\.js$/, ".ts"));
      // Relative to dist/, where every chunk that imports them is written.
      const published = file === entry ? undefined : PUBLISHED[file];
      if (published) return { id: published, external: true };
      return existsSync(file) ? file : null;
    },
    async load(id) {
      if (!id.endsWith(".ts")) return null;
      const out = await transform(readFileSync(id, "utf8"), {
        loader: "ts",
        format: "esm",
        target: "node20",
        sourcemap: true,
        sourcefile: id,
        tsconfigRaw,
        define,
      });
      return { code: out.code, map: out.map };
    },
  };
}

/** Writes `dist/<name>.js` for `input`, its main chunk `dist/<prefix>-core-*.js` and lazy chunks. */
async function buildOne(
  [name, input, prefix]: RollupEntry,
  define: Record<string, string>,
): Promise<void> {
  const bundle = await rollup({
    input: { [name]: input },
    // Packages and Node's modules stay imports, as in the esbuild builds.
    external: (id) => !id.startsWith(".") && !id.startsWith("/"),
    plugins: [typescript(input, define)],
  });
  await bundle.write({
    dir: "dist",
    format: "esm",
    entryFileNames: "[name].js",
    // The facades hold only their re-exports, so a relative import never lands in a subdirectory.
    hoistTransitiveImports: false,
    chunkFileNames: (chunk) =>
      chunk.isDynamicEntry ? `${prefix}-[name]-[hash].js` : `${prefix}-core-[hash].js`,
    sourcemap: true,
  });
  await bundle.close();
}

/** Output name under dist/, source, and the prefix of the entry's chunks in dist/. */
type RollupEntry = [name: string, input: string, prefix: string];

const ENTRIES: RollupEntry[] = [
  ["index", "src/index.ts", "root"],
  ["serverless/index", "src/serverless/index.ts", "serverless"],
  ["serverless/io/index", "src/serverless/io/index.ts", "io"],
  ["endpoint/index", "src/endpoint/index.ts", "endpoint"],
  ["endpoint/node", "src/endpoint/node.ts", "endpoint-node"],
  ["api/index", "src/api/index.ts", "api"],
];

/** The entries Rollup builds, by output name: the ESM tsup build leaves them out. */
export const ROLLUP_ENTRY_NAMES = ENTRIES.map(([name]) => name);

export async function buildRollupEsm(define: Record<string, string>): Promise<void> {
  await Promise.all(ENTRIES.map((entry) => buildOne(entry, define)));
}
