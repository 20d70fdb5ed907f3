/**
 * Import cost and dependency direction (ARCHITECTURE.md): bundles each public entry with esbuild and
 * walks the *static* import closure (dynamic imports may pull heavy code later, on demand).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const outdir = mkdtempSync(join(tmpdir(), "runpod-ts-graph-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface Closure {
  inputs: string[];
  externals: string[];
}

async function staticClosure(entry: string, platform: "node" | "browser"): Promise<Closure> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: "esm",
    platform,
    outdir: join(outdir, platform, entry.replaceAll("/", "_")),
    write: false,
    metafile: true,
    logLevel: "silent",
    define: { __RUNPOD_TS_VERSION__: '"0.0.0"' },
  });
  const meta: Metafile = result.metafile;
  const entryOut = Object.keys(meta.outputs).find((o) => meta.outputs[o]?.entryPoint === entry);
  if (!entryOut) throw new Error(`no output for ${entry}`);
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const externals = new Set<string>();
  const stack = [entryOut];
  while (stack.length > 0) {
    const out = stack.pop() as string;
    if (seen.has(out)) continue;
    seen.add(out);
    const o = meta.outputs[out];
    if (!o) continue;
    for (const input of Object.keys(o.inputs)) inputs.add(input);
    for (const imp of o.imports) {
      if (imp.kind !== "import-statement" && imp.kind !== "require-call") continue;
      if (imp.external) externals.add(imp.path);
      else stack.push(imp.path);
    }
  }
  return { inputs: [...inputs], externals: [...externals] };
}

const has = (c: Closure, pattern: RegExp) => c.inputs.filter((i) => pattern.test(i));

const HONO = /node_modules\/(hono|@hono)\//;
const UNDICI = /node_modules\/undici\//;
const GRAPHQL = /node_modules\/(graphql|graphql-request)\//;
const IO_DEPS = /node_modules\/(aws4fetch|tar|minipass|minizlib|chownr|yallist)\//;

describe("module graph", () => {
  it("runpod-ts/endpoint loads no Hono, undici, GraphQL, worker, API or CLI code", async () => {
    const c = await staticClosure("src/endpoint/index.ts", "node");
    expect(c.inputs).toContain("src/core/errors.ts"); // the walk sees our own modules
    expect(has(c, HONO)).toEqual([]);
    expect(has(c, UNDICI)).toEqual([]);
    expect(has(c, GRAPHQL)).toEqual([]);
    expect(has(c, /^src\/(serverless|api|cli)\//)).toEqual([]);
  });

  it("runpod-ts/endpoint's Node build loads undici only on the first request", async () => {
    const c = await staticClosure("src/endpoint/node.ts", "node");
    expect(c.inputs).toContain("src/endpoint/undici-requester.ts");
    expect(has(c, HONO)).toEqual([]);
    expect(has(c, UNDICI)).toEqual([]);
    expect(has(c, GRAPHQL)).toEqual([]);
    expect(has(c, /^src\/(serverless|local|api|cli)\//)).toEqual([]);
  });

  it("runpod-ts/endpoint bundles for the browser with no Node built-in", async () => {
    const c = await staticClosure("src/endpoint/index.ts", "browser");
    expect(c.externals).toEqual([]);
    // zod/mini alone would take over half of the 8 KB budget; the client validates by hand.
    expect(has(c, /node_modules\/zod\//)).toEqual([]);
    // The batch client loads on first use (endpoint.batches), not with the entry.
    expect(has(c, /^src\/endpoint\/batch-client\.ts$/)).toEqual([]);
  });

  it("runpod-ts/serverless loads no GraphQL, Hono, zod, undici, endpoint, API or CLI code up front", async () => {
    const c = await staticClosure("src/serverless/index.ts", "node");
    expect(has(c, HONO)).toEqual([]);
    expect(has(c, GRAPHQL)).toEqual([]);
    expect(has(c, /^src\/(api|endpoint|cli)\//)).toEqual([]);
    expect(has(c, /^src\/local\//)).toEqual([]);
    // zod/mini alone adds ~11 MB RSS and ~70 ms to a billed cold start; the worker checks by hand.
    expect(has(c, /node_modules\/zod\//)).toEqual([]);
    // undici loads once the first job-take is sent (or on the first request that needs it), from
    // its Agent module only (undici-agent.ts).
    expect(has(c, UNDICI)).toEqual([]);
    // The file helpers have their own entry (runpod-ts/serverless/io) and the built-in fitness
    // checks load only when a production worker runs them.
    expect(has(c, /^src\/serverless\/(io\/|fitness-builtins)/)).toEqual([]);
    expect(has(c, IO_DEPS)).toEqual([]);
    // The OpenAI-route routing and SSE framing load with the first job of a handler that uses them.
    expect(c.inputs).toContain("src/serverless/openai/index.ts");
    expect(has(c, /^src\/serverless\/openai\/handle\.ts$/)).toEqual([]);
  });

  it("runpod-ts/serverless/io loads no GraphQL, Hono, zod, undici, endpoint, API or CLI code", async () => {
    const c = await staticClosure("src/serverless/io/index.ts", "node");
    expect(has(c, HONO)).toEqual([]);
    expect(has(c, GRAPHQL)).toEqual([]);
    expect(has(c, UNDICI)).toEqual([]);
    expect(has(c, /node_modules\/zod\//)).toEqual([]);
    expect(has(c, /^src\/(api|endpoint|cli|local)\//)).toEqual([]);
  });

  it("runpod-ts/api loads no Hono, worker, endpoint or CLI code", async () => {
    const c = await staticClosure("src/api/index.ts", "node");
    expect(has(c, HONO)).toEqual([]);
    expect(has(c, /^src\/(serverless|endpoint|cli)\//)).toEqual([]);
  });

  it("runpod-ts/api and the root load no GraphQL up front, nor zod for the API: api.graphql loads on first use", async () => {
    for (const entry of ["src/api/index.ts", "src/index.ts"]) {
      const c = await staticClosure(entry, "node");
      expect(c.inputs).toContain("src/api/rest/transport.ts"); // REST v2 is there from the start
      expect(has(c, GRAPHQL)).toEqual([]);
      expect(has(c, /^src\/api\/graphql\/(client|transport|operation|resources\/)/)).toEqual([]);
      // REST inputs are checked by the hand-written interpreter, not zod.
      expect(has(c, /^src\/core\/(validate|settings)\.ts$/)).toEqual([]);
    }
    const api = await staticClosure("src/api/index.ts", "node");
    expect(has(api, /node_modules\/zod\//)).toEqual([]);
  });

  it("runpod-ts/local imports nothing of the worker, the clients or the CLI", async () => {
    const c = await staticClosure("src/local/index.ts", "node");
    expect(has(c, /^src\/(serverless|endpoint|api|cli)\//)).toEqual([]);
  });

  it("the dashboard page's script bundles for the browser from its own folder alone", async () => {
    const c = await staticClosure("src/local/dashboard/browser/main.ts", "browser");
    expect(c.inputs).toContain("src/local/dashboard/browser/live.ts");
    // The wire shapes it reads come from the server's modules as types only, erased in the bundle.
    expect(c.inputs.filter((i) => !i.startsWith("src/local/dashboard/browser/"))).toEqual([]);
    expect(c.externals).toEqual([]);
  });

  it("core and protocol import nothing of the modes", async () => {
    for (const entry of ["src/core/index.ts", "src/protocol/index.ts"]) {
      const c = await staticClosure(entry, "browser");
      expect(has(c, /^src\/(serverless|local|endpoint|api|cli)\//)).toEqual([]);
      expect(c.externals).toEqual([]);
    }
  });

  it("the root entry does not load the local platform up front", async () => {
    const c = await staticClosure("src/index.ts", "node");
    expect(has(c, HONO)).toEqual([]);
    expect(has(c, /^src\/(local|cli)\//)).toEqual([]);
  });

  it("the CLI entry loads only commander up front: every action is a dynamic import", async () => {
    const c = await staticClosure("src/cli/index.ts", "node");
    expect(c.inputs).toContain("src/cli/program.ts");
    const packages = new Set(
      has(c, /node_modules\//).map((i) => i.split("node_modules/")[1]?.split("/")[0]),
    );
    expect([...packages]).toEqual(["commander"]);
    expect(has(c, /^src\/(serverless|endpoint|api)\//)).toEqual([]);
    expect(has(c, /^src\/cli\/(commands\/.+\/|ssh\/|templates\/|config-store)/)).toEqual([]);
  });
});
