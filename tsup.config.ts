import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";
import { buildRollupEsm, ROLLUP_ENTRY_NAMES } from "./scripts/rollup-esm.js";
import { bundleDashboardScript } from "./src/local/dashboard/script-build.js";

const pkg = JSON.parse(readFileSync("./package.json", "utf8")) as { version: string };

/** Library entries: one per public subpath. */
const entry = {
  index: "src/index.ts",
  "serverless/index": "src/serverless/index.ts",
  "serverless/io/index": "src/serverless/io/index.ts",
  "endpoint/index": "src/endpoint/index.ts",
  // The same surface with undici as the default transport; chosen by the `node` export condition.
  "endpoint/node": "src/endpoint/node.ts",
  "api/index": "src/api/index.ts",
  "local/index": "src/local/index.ts",
};

/** esbuild's ESM entries: the others are Rollup's (scripts/rollup-esm.ts). */
const esbuildEsmEntry = Object.fromEntries(
  Object.entries(entry).filter(([name]) => !ROLLUP_ENTRY_NAMES.includes(name)),
);

let dashboardScript: Promise<string> | undefined;

/**
 * The dashboard page's script is TypeScript (`src/local/dashboard/browser/`). The build bundles it
 * once and puts it in place of `dashboard-script.ts`, whose from-source version would bundle it at
 * run time: the package ships the script as a string and never loads esbuild.
 */
const dashboardScriptPlugin: Plugin = {
  name: "dashboard-script",
  setup(pluginBuild) {
    pluginBuild.onLoad(
      { filter: /[\\/]local[\\/]dashboard[\\/]dashboard-script\.ts$/ },
      async () => {
        dashboardScript ??= bundleDashboardScript(
          build,
          resolve("src/local/dashboard/browser/main.ts"),
        );
        const script = await dashboardScript;
        return {
          contents: `/** The dashboard page's script, bundled at build time. */\nexport const dashboardScript = () => Promise.resolve(${JSON.stringify(script)});\n`,
          loader: "js",
        };
      },
    );
  },
};

const define = { __RUNPOD_TS_VERSION__: JSON.stringify(pkg.version) };

const shared: Options = {
  entry,
  outDir: "dist",
  target: "node20",
  sourcemap: true,
  define,
  esbuildPlugins: [dashboardScriptPlugin],
};

export default defineConfig([
  // ESM: Rollup's files but the local platform's (scripts/rollup-esm.ts), built once this build has
  // cleaned dist (all but the declarations, which their own pass below cleans and writes).
  {
    ...shared,
    entry: esbuildEsmEntry,
    format: ["esm"],
    splitting: true,
    clean: ["!**/*.d.{ts,cts}"],
    onSuccess: () => buildRollupEsm(define),
  },
  // CJS: ESM-only dependencies are bundled so `require()` works on every Node 20 release.
  { ...shared, format: ["cjs"], splitting: false, noExternal: [/^p-retry$/, /^is-network-error$/] },
  // Declarations: one TypeScript pass writes both the `.d.ts` and the `.d.cts` files, which hold the
  // same declarations (a pass in each of the two builds above did the same work twice).
  { entry, outDir: "dist", format: ["esm", "cjs"], dts: { only: true }, clean: true },
  // CLI: ESM only, not a public import path.
  {
    // Its own directory, so the lazily loaded command chunks stay apart from the library's.
    entry: { index: "src/cli/index.ts" },
    outDir: "dist/cli",
    format: ["esm"],
    target: "node20",
    splitting: true,
    // zod and smol-toml bundled: their packages are 95 and 9 ESM files (50 of zod's are locales
    // the CLI never uses), each resolved, read and compiled by every command that checks a flag
    // or reads the config file; bundled, zod is one tree-shaken chunk of 170 KB instead of 850 KB
    // (bench/RESULTS.md, "CLI start-up").
    noExternal: [/^zod(\/|$)/, /^smol-toml$/],
    sourcemap: true,
    define: shared.define,
    esbuildPlugins: shared.esbuildPlugins,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
