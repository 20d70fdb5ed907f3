import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vitest/config";

const pkg = JSON.parse(readFileSync("./package.json", "utf8")) as { version: string };

/**
 * Points the endpoint tests' imports of the universal entry at the Node entry, whose `Endpoint`
 * sends through undici: the same tests then run against both transports.
 */
function endpointOnNode(): Plugin {
  const nodeEntry = resolve("src/endpoint/node.ts");
  return {
    name: "endpoint-on-node",
    enforce: "pre",
    resolveId(source, importer) {
      const fromTest = importer?.includes("/tests/endpoint/") ?? false;
      return fromTest && source.endsWith("/src/endpoint/index.js") ? nodeEntry : null;
    },
  };
}

export default defineConfig({
  define: { __RUNPOD_TS_VERSION__: JSON.stringify(pkg.version) },
  test: {
    globalSetup: ["tests/cli/build-once.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most files wait on child processes and servers, not the CPU: vitest's default (cores - 1)
    // is one fork on a 2-core machine, which leaves both cores half idle.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "all",
          include: ["tests/**/*.test.ts"],
          globalSetup: ["tests/helpers/prism-setup.ts", "tests/helpers/fixtures-build.ts"],
          // The expectTypeOf assertions of tests/**/types.test.ts hold only when the compiler
          // checks them: `npm run typecheck` does (tsconfig.json includes tests/) and fails on
          // any of them before vitest runs. Vitest's typecheck mode would run tsc a second time.
        },
      },
      {
        extends: true,
        plugins: [endpointOnNode()],
        test: {
          name: "endpoint-undici",
          include: ["tests/endpoint/{calls,errors,stream,waiting}.test.ts"],
        },
      },
    ],
  },
});
