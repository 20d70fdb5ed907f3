import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempHome } from "./run-cli.js";

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"));

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const read = (...parts: string[]) => readFileSync(join(home, ...parts), "utf8");
const FILES = [
  ".dockerignore",
  ".gitignore",
  "Dockerfile",
  "README.md",
  "package.json",
  "src/handler.ts",
  "test_input.json",
  "tsconfig.json",
];

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe("runpod-ts init", () => {
  it("scaffolds a basic worker project into a new directory", async () => {
    const r = await runCli(["init", "My Worker"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created a basic worker in My Worker");
    expect(r.stdout).toContain("npm install");
    expect(listFiles(join(home, "My Worker"))).toEqual(FILES);

    const project = JSON.parse(read("My Worker", "package.json"));
    expect(project).toMatchObject({
      name: "my-worker",
      private: true,
      type: "module",
      scripts: { build: "tsc", test: "npm run build && node dist/handler.js" },
      dependencies: { "runpod-ts": `^${pkg.version}` },
    });
    expect(project.devDependencies.typescript).toBeDefined();

    const handler = read("My Worker", "src", "handler.ts");
    expect(handler).toContain('import { serverless } from "runpod-ts/serverless";');
    expect(handler).toContain("serverless.start({");
    expect(handler).toContain("handler: async (job, ctx) =>");
    expect(handler).toContain("ctx.progress(");
    expect(handler).toContain("ctx.signal");

    const tsconfig = JSON.parse(read("My Worker", "tsconfig.json"));
    expect(tsconfig.compilerOptions).toMatchObject({
      strict: true,
      rootDir: "src",
      outDir: "dist",
    });
    expect(JSON.parse(read("My Worker", "test_input.json"))).toEqual({
      input: { prompt: "hello", steps: 2 },
    });
  });

  it("writes a GPU Dockerfile: CUDA base, Node 20, production install, non-root", async () => {
    await runCli(["init", "w"], { home });
    const dockerfile = read("w", "Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:20-\S+ AS node$/m);
    expect(dockerfile).toMatch(/^FROM nvidia\/cuda:\S+-runtime-\S+$/m);
    expect(dockerfile).toContain("npm ci --omit=dev");
    expect(dockerfile).toMatch(/^USER (?!root)\w+$/m);
    expect(dockerfile).toContain('CMD ["node", "dist/handler.js"]');
    expect(read("w", ".dockerignore").split("\n")).toContain("node_modules");
    const readme = read("w", "README.md");
    expect(readme).toContain("npm test");
    expect(readme).toContain("docker build --platform linux/amd64 -t YOUR_USER/w:0.1.0 .");
    expect(readme).toContain("runpod-ts deploy --image YOUR_USER/w:0.1.0 --name w");
  });

  it("the streaming template yields chunks from an async generator", async () => {
    const r = await runCli(["init", "s", "--template", "streaming", "--json"], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dir: join(home, "s"),
      template: "streaming",
      files: expect.arrayContaining(FILES),
    });
    const handler = read("s", "src", "handler.ts");
    expect(handler).toContain("handler: async function* (job, ctx)");
    expect(handler).toContain("yield { token: word }");
    expect(handler).toContain("returnAggregateStream: true");
  });

  it("defaults to the current directory when it is empty", async () => {
    const dir = join(home, "here");
    mkdirSync(dir);
    const r = await runCli(["init"], { home, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("cd ");
    expect(JSON.parse(read("here", "package.json")).name).toBe("here");
  });

  it("RUNPOD_TS_SDK_SPEC overrides the runpod-ts dependency (for unreleased builds)", async () => {
    await runCli(["init", "w"], { home, env: { RUNPOD_TS_SDK_SPEC: "file:/tmp/runpod-ts.tgz" } });
    expect(JSON.parse(read("w", "package.json")).dependencies["runpod-ts"]).toBe(
      "file:/tmp/runpod-ts.tgz",
    );
  });

  it("refuses a non-empty directory, leaves it untouched and suggests a free name", async () => {
    mkdirSync(join(home, "busy"));
    mkdirSync(join(home, "busy-2"));
    writeFileSync(join(home, "busy", "package.json"), "{}");
    const r = await runCli(["init", "busy"], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not empty");
    expect(r.stderr).toContain("choose a new or empty directory, e.g. `runpod-ts init busy-3`");
    expect(listFiles(join(home, "busy"))).toEqual(["package.json"]);
    expect(read("busy", "package.json")).toBe("{}");
  });

  it("refuses a path that is a file", async () => {
    writeFileSync(join(home, "afile"), "x");
    const r = await runCli(["init", "afile"], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is a file");
  });

  it("an unknown template is a usage error naming the choices", async () => {
    const r = await runCli(["init", "x", "--template", "fancy"], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--template: must be one of: basic, streaming");
    expect(r.stderr).toContain("Usage: runpod-ts init");
  });
});
