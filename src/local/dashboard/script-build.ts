import type { build } from "esbuild";

/**
 * How the page's script (`browser/main.ts` and what it imports) becomes the one file the page
 * loads: shared by the package build (`tsup.config.ts`) and the from-source fallback of
 * `dashboard-script.ts`, so both serve the same bytes.
 */
export async function bundleDashboardScript(esbuild: typeof build, entry: string): Promise<string> {
  const result = await esbuild({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    charset: "utf8",
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`bundling ${entry} gave no output`);
  return output.text;
}
