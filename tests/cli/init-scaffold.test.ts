/**
 * The scaffold works end to end: `runpod-ts init`, then the project's own `npm install` (with
 * runpod-ts pointed at a packed tarball of this build) and `npm test`, for both templates; then
 * `runpod-ts test` on the scaffold. Slow (npm install), so one project per template.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevProcess } from "./dev-process.js";
import { runCli, tempHome } from "./run-cli.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const { home, cleanup } = tempHome();
afterAll(cleanup);

interface Run {
  code: number;
  output: string;
}

async function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  // A clean env: the scaffold must not see RUNPOD_* variables of the machine running the tests.
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    npm_config_cache: process.env.npm_config_cache ?? join(home, ".npm"),
  };
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === "number" ? e.code : -1,
      output: `${e.stdout ?? ""}${e.stderr ?? ""}`,
    };
  }
}

let tarball: string;
beforeAll(async () => {
  const packed = await run("npm", ["pack", "--silent", "--pack-destination", home], root);
  expect(packed.code, packed.output).toBe(0);
  tarball = join(home, packed.output.trim().split("\n").pop() ?? "");
}, 120_000);

async function scaffold(name: string, template: string): Promise<string> {
  const r = await runCli(["init", name, "--template", template], {
    home,
    env: { RUNPOD_TS_SDK_SPEC: `file:${tarball}` },
  });
  expect(r.code, r.stderr).toBe(0);
  const dir = join(home, name);
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], dir);
  expect(install.code, install.output).toBe(0);
  return dir;
}

describe("the init scaffold", () => {
  it("basic: npm install && npm test runs test_input.json through the handler", async () => {
    const dir = await scaffold("basic-worker", "basic");
    const test = await run("npm", ["test"], dir);
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain("HELLO");
    const bad = await run("node", ["dist/handler.js", "--test_input", '{"input": {}}'], dir);
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toContain("input.prompt must be a non-empty string");
    const viaCli = await run(
      join(dir, "node_modules", ".bin", "runpod-ts"),
      ["test", "dist/handler.js"],
      dir,
    );
    expect(viaCli.code, viaCli.output).toBe(0);
    expect(viaCli.output).toContain("HELLO");

    // The edit loop: `runpod-ts dev src/handler.ts` (the scaffold's `npm run dev`) runs the
    // TypeScript through the project's own tsx, and an edit of the handler restarts it.
    expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts.dev).toBe(
      "runpod-ts dev src/handler.ts",
    );
    const d = new DevProcess(["src/handler.ts", "--port", "0"], { home, cwd: dir });
    try {
      const [, url] = await d.waitFor(/^Local platform: (http:\/\/127\.0\.0\.1:\d+) /m);
      const runsync = async () => {
        const res = await fetch(`${url}/v2/local/runsync`, {
          method: "POST",
          body: JSON.stringify({ input: { prompt: "Edit Me", steps: 1 } }),
        });
        return ((await res.json()) as { output?: { output: string } }).output?.output;
      };
      expect(await runsync()).toBe("EDIT ME");
      const handler = join(dir, "src", "handler.ts");
      writeFileSync(
        handler,
        readFileSync(handler, "utf8").replace("prompt.toUpperCase()", "prompt.toLowerCase()"),
      );
      await d.waitFor(/^\[dev\] src\/handler\.ts changed; restarting the worker$/m);
      await d.waitFor(/^\[worker\] --- Starting Serverless Worker/m);
      expect(await runsync()).toBe("edit me");
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 240_000);

  it("streaming: npm install && npm test streams the tokens", async () => {
    const dir = await scaffold("streaming-worker", "streaming");
    const test = await run("npm", ["test"], dir);
    expect(test.code, test.output).toBe(0);
    for (const token of ["hello", "from", "runpod-ts"]) expect(test.output).toContain(token);
  }, 240_000);
});
