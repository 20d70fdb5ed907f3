/** What `runpod-ts dev WORKER` watches: the worker and the local files it imports, nothing else. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workerImports } from "../../src/cli/commands/dev/worker-imports.js";

const dir = mkdtempSync(join(tmpdir(), "runpod-ts-imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const full = join(dir, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, text);
  return full;
}

describe("workerImports", () => {
  it("follows relative imports through TypeScript's .js specifiers, and nothing else", () => {
    const handler = write(
      "src/handler.ts",
      `import { serverless } from "runpod-ts/serverless";
import { parse } from "./input.js";
import config from "../config.json" with { type: "json" };
export * from "./types";
const lazy = () => import("./lazy.js");
serverless.start({ handler: (job) => parse(job.input) });
`,
    );
    const input = write(
      "src/input.ts",
      `import { clamp } from "./util/clamp.js";\nexport const parse = clamp;\n`,
    );
    const clamp = write("src/util/clamp.ts", "export const clamp = (x: unknown) => x;\n");
    const types = write("src/types.ts", "export type T = number;\n");
    const lazy = write("src/lazy.ts", `const { x } = require("./cjs-part.cjs");\n`);
    const cjs = write("src/cjs-part.cjs", "module.exports = { x: 1 };\n");
    const config = write("config.json", "{}\n");
    // Neighbours the worker does not import: a script, a test, a dependency.
    write("scripts/seed.ts", `import "../src/handler.js";\n`);
    write("src/handler.test.ts", `import "./handler.js";\n`);
    write("node_modules/runpod-ts/serverless.js", "export {};\n");

    expect([...workerImports(handler)].sort()).toEqual(
      [handler, input, clamp, types, lazy, cjs, config].sort(),
    );
  });

  it("survives cycles and imports of files that do not exist", () => {
    const a = write("cycle/a.mjs", `import "./b.mjs";\nimport "./missing.mjs";\n`);
    const b = write("cycle/b.mjs", `import "./a.mjs";\n`);
    expect([...workerImports(a)].sort()).toEqual([a, b].sort());
  });
});
