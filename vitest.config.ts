import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const pkg = JSON.parse(readFileSync("./package.json", "utf8")) as { version: string };

export default defineConfig({
  define: { __RUNPOD_TS_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/cli/build-once.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
