import { fileURLToPath } from "node:url";
import { bundleDashboardScript } from "./script-build.js";

/**
 * The page's script, bundled from `browser/main.ts`. The package build replaces this whole module
 * with one that returns the script bundled at build time (the plugin in `tsup.config.ts`), so an
 * installed package never bundles anything. Run from source (vitest, tsx), there is no build
 * output to read: the first call bundles with esbuild, a dev dependency, in about 50 ms.
 */
export function dashboardScript(): Promise<string> {
  fromSource ??= bundleFromSource();
  return fromSource;
}

let fromSource: Promise<string> | undefined;

async function bundleFromSource(): Promise<string> {
  // A computed specifier, so bundlers that walk this module (tests of the module graph) leave
  // esbuild out rather than trying to bundle it.
  const esbuildModule = "esbuild";
  const { build } = (await import(esbuildModule)) as typeof import("esbuild");
  const entry = fileURLToPath(new URL("./browser/main.ts", import.meta.url));
  return bundleDashboardScript(build, entry);
}
