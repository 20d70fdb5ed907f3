#!/usr/bin/env node
// Packaging gate: packs the tarball, lints it (publint, attw), installs it into a temporary project
// and imports every subpath from an .mjs and a .cjs file, exercising one real export of each, then
// type-checks the same imports under node16 resolution for ESM and CJS.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args, cwd = root) => {
  try {
    return execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (error) {
    // Show what the tool said (many print their findings on stdout) before failing.
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${error.status})`);
  }
};

/**
 * One check per subpath: an expression over the imported module `m` that must evaluate to true
 * and touches a real export. `RunpodError` from one subpath must be recognised by another, and
 * by the other module format (the brand check of src/core/errors.ts).
 */
const checks = {
  "runpod-ts":
    "m.VERSION === EXPECTED_VERSION && new m.ValidationError('x', []) instanceof m.RunpodError",
  "runpod-ts/serverless":
    "typeof m.serverless.start === 'function' && typeof m.serverless.serve === 'function' && m.serverless.currentJob() === undefined && new m.JobAbortedError('j', 'stopped', 'x') instanceof m.RunpodError && typeof m.openaiHandler({ '/v1/models': () => ({ object: 'list', data: [] }) }) === 'function'",
  "runpod-ts/serverless/io":
    "typeof m.download === 'function' && typeof m.upload === 'function' && m.regionFromEndpoint('https://b.s3.eu-west-1.amazonaws.com') === 'eu-west-1' && new m.SsrfError('address', 'x') instanceof m.RunpodError && m.DEFAULT_MAX_DOWNLOAD_BYTES === 5 * 1024 ** 3",
  "runpod-ts/endpoint":
    "new m.Endpoint('ep-1', { apiKey: 'k', baseUrl: 'http://127.0.0.1:1/v2' }).id === 'ep-1' && m.Endpoint.job('ep-1', 'job-1', { apiKey: 'k' }) instanceof m.JobHandle && m.isTerminal('CANCELLED') && new m.LoadBalancerEndpoint('ep-1', { apiKey: 'k' }).baseUrl === 'https://ep-1.api.runpod.ai'",
  "runpod-ts/local": "typeof m.createLocalPlatform === 'function'",
  "runpod-ts/api":
    "typeof new m.RunpodApi({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' }).pods.list === 'function' && typeof new m.RunpodApi({ apiKey: 'k' }).graphql.getPods === 'function' && new m.GraphQLRequestError({ status: 200, operationName: 'Q', errors: [{ message: 'a' }, { message: 'b' }] }).errors.length === 2",
};

const work = mkdtempSync(join(tmpdir(), "runpod-ts-pack-"));
try {
  const tarball = join(
    work,
    run("npm", ["pack", "--silent", "--pack-destination", work]).trim().split("\n").pop(),
  );
  console.log(`packed ${tarball}`);

  run(bin("publint"), ["run", "--strict", "--pack", "npm"]);
  console.log("publint: ok");
  run(bin("attw"), [tarball, "--profile", "node16", "--format", "table-flipped"]);
  console.log("attw: ok");

  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", tarball],
    app,
  );

  const lines = (load) =>
    Object.entries(checks).flatMap(([spec, expr], i) => [
      `const m${i} = ${load(spec)};`,
      `{ const m = m${i}; if (!(${expr})) throw new Error(${JSON.stringify(`${spec}: check failed: ${expr}`)}); }`,
    ]);
  const prelude = `const EXPECTED_VERSION = ${JSON.stringify(pkg.version)};`;
  // Cross-format: an error built by the ESM copy is an instance of the CJS class, and back.
  const cross = `
const { createRequire } = await import("node:module");
const cjs = createRequire(import.meta.url)("runpod-ts");
if (!(new m0.NotFoundError("x", { status: 404 }) instanceof cjs.APIError)) throw new Error("ESM error not instanceof CJS class");
if (!(new cjs.JobFailedError("j", "boom") instanceof m0.RunpodError)) throw new Error("CJS error not instanceof ESM class");
if (new cjs.NotFoundError("x", { status: 404 }) instanceof m0.RateLimitError) throw new Error("brand check too loose");
if (!(new cjs.AffinityWorkerGoneError("x", { status: 404, workerId: "w" }) instanceof m0.NotFoundError)) throw new Error("CJS affinity error not instanceof ESM class");
if (!(new m0.WorkerTimeoutError("x", { status: 400, workerId: "w" }) instanceof cjs.BadRequestError)) throw new Error("ESM worker-timeout error not instanceof CJS class");`;
  writeFileSync(
    join(app, "check.mjs"),
    [
      prelude,
      ...lines((s) => `await import(${JSON.stringify(s)})`),
      cross,
      'console.log("esm: ok");',
    ].join("\n"),
  );
  writeFileSync(
    join(app, "check.cjs"),
    [prelude, ...lines((s) => `require(${JSON.stringify(s)})`), 'console.log("cjs: ok");'].join(
      "\n",
    ),
  );
  process.stdout.write(run("node", ["check.mjs"], app));
  process.stdout.write(run("node", ["check.cjs"], app));

  // Both formats in one process (an ESM app with a CommonJS dependency on the package): a job run
  // by one copy's worker is the job `currentJob()` of the other copy sees, both ways round.
  for (const [runner, reader] of [
    ["cjs", "esm"],
    ["esm", "cjs"],
  ]) {
    const load = (format) =>
      format === "esm"
        ? `(await import("runpod-ts/serverless"))`
        : `(await import("node:module")).createRequire(import.meta.url)("runpod-ts/serverless")`;
    writeFileSync(
      join(app, `context-${runner}.mjs`),
      `const runner = ${load(runner)};\nconst reader = ${load(reader)};\nrunner.serverless.start({ handler: () => ({ seen: reader.serverless.currentJob()?.id ?? "none" }) });\n`,
    );
    const out = run(
      "node",
      [`context-${runner}.mjs`, "--test_input", '{"id":"ctx-1","input":{}}'],
      app,
    );
    if (!out.includes('Job result: {"output": {"seen": "ctx-1"}}')) {
      throw new Error(
        `a job run by the ${runner} worker is not currentJob() in ${reader}:\n${out}`,
      );
    }
  }
  console.log("one job context across esm and cjs: ok");

  // Types: the same subpaths resolve with declarations under node16 for both module formats.
  // A typed export of each subpath: VERSION where the entry has it, the platform factory otherwise.
  const typeProbe = (s) =>
    s === "runpod-ts/local"
      ? "(o?: object) => Promise<{ url: string }>"
      : s === "runpod-ts/serverless/io"
        ? "number"
        : "string";
  const typeExport = (s) =>
    s === "runpod-ts/local"
      ? "createLocalPlatform"
      : s === "runpod-ts/serverless/io"
        ? "DEFAULT_MAX_DOWNLOAD_BYTES"
        : "VERSION";
  const typeLines = Object.keys(checks).map(
    (s, i) =>
      `import * as t${i} from ${JSON.stringify(s)};\nexport const v${i}: ${typeProbe(s)} = t${i}.${typeExport(s)};`,
  );
  writeFileSync(join(app, "types.mts"), typeLines.join("\n"));
  writeFileSync(join(app, "types.cts"), typeLines.join("\n"));
  // The endpoint client is universal: its declarations must also resolve without Node's types.
  const universal = Object.keys(checks).indexOf("runpod-ts/endpoint");
  writeFileSync(join(app, "universal.mts"), typeLines[universal]);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    module: "node16",
    moduleResolution: "node16",
    lib: ["es2023", "dom"],
    types: [],
    skipLibCheck: false,
  };
  // The worker's declarations name node:http types (serve() returns the Node server), so the
  // other subpaths are checked with @types/node, as a Node app has it.
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        typeRoots: [join(root, "node_modules/@types")],
        types: ["node"],
      },
      files: ["types.mts", "types.cts"],
    }),
  );
  writeFileSync(
    join(app, "tsconfig.universal.json"),
    JSON.stringify({ compilerOptions, files: ["universal.mts"] }),
  );
  run(bin("tsc"), ["-p", "tsconfig.json"], app);
  run(bin("tsc"), ["-p", "tsconfig.universal.json"], app);
  console.log("types (node16, esm + cjs): ok");
  console.log("package check passed");
} finally {
  rmSync(work, { recursive: true, force: true });
}
