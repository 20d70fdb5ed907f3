/**
 * `npm run bench:endpoint`: run + status cycles against a minimal loopback server, at concurrency 1
 * and 16, for raw fetch, raw `undici.request`, runpod-ts's Node build (undici), its universal build
 * (fetch) and runpod-sdk (the official JS client), in the same process; then the min+gzip size of
 * the runpod-ts/endpoint browser bundle. Prints the figures and records them in bench/RESULTS.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, platform, release } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import runpodSdk from "runpod-sdk";
import { request as undiciRequest } from "undici";

const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
// The sources read the version from a build-time define; tsx has none, so provide the global.
(globalThis as { __RUNPOD_TS_VERSION__?: string }).__RUNPOD_TS_VERSION__ = pkg.version;
const { Endpoint } = await import("../src/endpoint/index.js");
const { Endpoint: NodeEndpoint } = await import("../src/endpoint/node.js");

const CYCLES = Number(process.env.BENCH_CYCLES ?? 3_000);
const WIDE = 16;
const KEY = "bench-key";

// The server does as little as possible, so the client is what is measured.
let next = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const url = req.url ?? "";
    const body =
      req.method === "POST" && url.endsWith("/run")
        ? `{"id":"job-${++next}","status":"IN_QUEUE"}`
        : `{"id":"${url.slice(url.lastIndexOf("/") + 1)}","status":"COMPLETED","output":1}`;
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;

type Cycle = () => Promise<unknown>;

const rawFetch: Cycle = async () => {
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const run = await fetch(`${baseUrl}/ep/run`, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: { n: 1 } }),
  });
  const { id } = (await run.json()) as { id: string };
  const status = await fetch(`${baseUrl}/ep/status/${id}`, { headers });
  return status.json();
};

const rawUndici: Cycle = async () => {
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const run = await undiciRequest(`${baseUrl}/ep/run`, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: { n: 1 } }),
  });
  const { id } = (await run.body.json()) as { id: string };
  const status = await undiciRequest(`${baseUrl}/ep/status/${id}`, { headers });
  return status.body.json();
};

// Reference: raw fetch plus what every runpod-ts request carries, an AbortSignal (for its timeout
// and the caller's signal). Shows how much of the overhead that alone accounts for.
const rawFetchWithSignal: Cycle = async () => {
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const run = await fetch(`${baseUrl}/ep/run`, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: { n: 1 } }),
    signal: new AbortController().signal,
  });
  const { id } = (await run.json()) as { id: string };
  const status = await fetch(`${baseUrl}/ep/status/${id}`, {
    headers,
    signal: new AbortController().signal,
  });
  return status.json();
};

const ep = new NodeEndpoint("ep", { apiKey: KEY, baseUrl });
const ours: Cycle = async () => (await ep.run({ n: 1 })).status();
const universal = new Endpoint("ep", { apiKey: KEY, baseUrl });
const oursOnFetch: Cycle = async () => (await universal.run({ n: 1 })).status();

const sdkEndpoint = runpodSdk(KEY, { baseUrl }).endpoint("ep");
if (!sdkEndpoint) throw new Error("runpod-sdk returned no endpoint");
const sdk: Cycle = async () => {
  const { id } = (await sdkEndpoint.run({ input: { n: 1 } })) as { id: string };
  return sdkEndpoint.status(id);
};

const clients: Array<[string, Cycle]> = [
  ["raw fetch", rawFetch],
  ["raw undici.request", rawUndici],
  ["runpod-ts (Node build, undici)", ours],
  ["runpod-ts (universal build, fetch)", oursOnFetch],
  ["runpod-sdk", sdk],
  ["raw fetch + AbortSignal", rawFetchWithSignal],
];
// Warm up JIT and keep-alive sockets.
for (let i = 0; i < 300; i++) for (const [, cycle] of clients) await cycle();

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

// Concurrency 1: cycles interleave the clients one by one, rotating who goes first, so drift and
// load from other processes hit all alike; the median cycle of each is its figure.
const samples = new Map<string, number[]>(clients.map(([name]) => [name, []]));
for (let i = 0; i < CYCLES; i++) {
  for (let k = 0; k < clients.length; k++) {
    const [name, cycle] = clients[(i + k) % clients.length] as [string, Cycle];
    const start = performance.now();
    await cycle();
    samples.get(name)?.push(performance.now() - start);
  }
}

// Concurrency 16: rounds of WIDE loops of 20 cycles each per client, clients taking turns round by
// round; the figure is the median round's cycles per second.
const ROUND = 20;
const wide = new Map<string, number[]>(clients.map(([name]) => [name, []]));
for (let round = 0; round < Math.max(10, Math.round(CYCLES / 100)); round++) {
  for (let k = 0; k < clients.length; k++) {
    const [name, cycle] = clients[(round + k) % clients.length] as [string, Cycle];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: WIDE }, async () => {
        for (let i = 0; i < ROUND; i++) await cycle();
      }),
    );
    wide.get(name)?.push((WIDE * ROUND * 1000) / (performance.now() - start));
  }
}
server.close();

const rows = clients.map(([name]) => {
  const cycleUs = median(samples.get(name) as number[]) * 1000;
  return {
    name,
    cyclesPerSec: Math.round(1e6 / cycleUs),
    perCallUs: cycleUs / 2,
    wideCyclesPerSec: Math.round(median(wide.get(name) as number[])),
  };
});
const row = (name: string) => rows.find((r) => r.name === name) as (typeof rows)[number];
const raw = row("raw fetch");
const undici = row("raw undici.request");
const our = row("runpod-ts (Node build, undici)");
const ourFetch = row("runpod-ts (universal build, fetch)");
const official = row("runpod-sdk");
const withSignal = row("raw fetch + AbortSignal");

// Bundles: what a browser app loads up front for what it imports from "runpod-ts/endpoint", with
// code splitting as app bundlers do (the batch client is a lazily loaded chunk), and the whole
// entry in one file for scale.
async function bundleBytes(contents: string, splitting: boolean) {
  const outdir = join(root, ".bench-bundle");
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    splitting,
    outdir,
    metafile: true,
    write: false,
    logLevel: "silent",
    define: { __RUNPOD_TS_VERSION__: JSON.stringify(pkg.version) },
  });
  const gz = new Map(
    result.outputFiles.map((f) => [
      relative(root, f.path),
      gzipSync(f.contents, { level: 9 }).length,
    ]),
  );
  // Up front: the entry and every chunk it reaches through static imports.
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((k) => outputs[k]?.entryPoint !== undefined) ?? "";
  const upFront = new Set<string>();
  const visit = (file: string) => {
    if (upFront.has(file)) return;
    upFront.add(file);
    for (const i of outputs[file]?.imports ?? []) if (i.kind === "import-statement") visit(i.path);
  };
  visit(entry);
  let entryBytes = 0;
  let lazy = 0;
  for (const [file, bytes] of gz) {
    if (upFront.has(file)) entryBytes += bytes;
    else if (!file.endsWith(".map")) lazy += bytes;
  }
  return { entry: entryBytes, lazy };
}
const from = `from "./src/endpoint/index.ts"`;
const endpointApp = await bundleBytes(`export { Endpoint, JobHandle, JobStream } ${from};`, true);
const lbApp = await bundleBytes(`export { LoadBalancerEndpoint } ${from};`, true);
const wholeEntry = await bundleBytes(`export * ${from};`, false);
const gzipped = Math.max(endpointApp.entry, lbApp.entry);

const table = [
  `| client | cycles/s at 1 | per call at 1 (µs) | vs raw fetch at 1 | cycles/s at ${WIDE} | vs raw fetch at ${WIDE} |`,
  "|---|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.cyclesPerSec} | ${r.perCallUs.toFixed(1)} | ${(r.cyclesPerSec / raw.cyclesPerSec).toFixed(2)}x | ${r.wideCyclesPerSec} | ${(r.wideCyclesPerSec / raw.wideCyclesPerSec).toFixed(2)}x |`,
  ),
].join("\n");
const speedup1 = our.cyclesPerSec / raw.cyclesPerSec;
const speedupWide = our.wideCyclesPerSec / raw.wideCyclesPerSec;
const overUndici = our.perCallUs - undici.perCallUs;
const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpu} (${cpus().length} threads), ${platform()} ${release()}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const summary = [
  `runpod-ts (Node build) vs raw fetch: ${speedup1.toFixed(2)}x at concurrency 1 (target ≥ 2x: ${verdict(speedup1 >= 2)}), ${speedupWide.toFixed(2)}x at ${WIDE} (target ≥ 6x: ${verdict(speedupWide >= 6)})`,
  `runpod-ts (Node build) per call: ${our.perCallUs.toFixed(1)} µs, ${overUndici.toFixed(1)} µs over raw undici.request (target ≤ 25 µs: ${verdict(overUndici <= 25)})`,
  `runpod-ts (universal build) per call: ${ourFetch.perCallUs.toFixed(1)} µs, ${(ourFetch.perCallUs / raw.perCallUs).toFixed(3)}x raw fetch; the per-request AbortSignal alone (raw fetch + AbortSignal) costs ${(withSignal.perCallUs - raw.perCallUs).toFixed(1)} µs`,
  `runpod-sdk: ${(our.cyclesPerSec / official.cyclesPerSec).toFixed(2)}x slower than runpod-ts's Node build at 1, ${(our.wideCyclesPerSec / official.wideCyclesPerSec).toFixed(2)}x at ${WIDE}`,
  `runpod-ts/endpoint in a browser app, min+gzip loaded up front: Endpoint + JobHandle + JobStream ${endpointApp.entry} B (batch client loaded on first use: ${endpointApp.lazy} B more), LoadBalancerEndpoint ${lbApp.entry} B (target < 8 KB: ${verdict(gzipped < 8000)}); the whole entry in one file: ${wholeEntry.entry} B`,
];
console.log(`${table}\n\n${summary.join("\n")}`);

const section = `## Endpoint client

\`npm run bench:endpoint\` (${date}; ${machine}; load average ${loadavg()[0]?.toFixed(1)} at the end).
${CYCLES} sequential \`run\` + \`status\` cycles per client against a minimal loopback HTTP server,
interleaved cycle by cycle (figures from the median cycle; "per call" is half a cycle); then rounds
of ${WIDE} concurrent loops of ${ROUND} cycles, clients taking turns (figures from the median round). The
server shares the machine's two cores with the client, so at ${WIDE} the server's own cost caps every
client. In Node, \`runpod-ts/endpoint\` resolves to the Node build (the \`node\` export condition).

${table}

${summary.map((s) => `- ${s}`).join("\n")}
`;
const resultsPath = join(root, "bench/RESULTS.md");
let results: string;
try {
  results = readFileSync(resultsPath, "utf8");
} catch {
  results = "# Benchmark results\n";
}
const start = results.indexOf("## Endpoint client");
if (start === -1) {
  results = `${results.trimEnd()}\n\n${section}`;
} else {
  const end = results.indexOf("\n## ", start + 1);
  results = `${results.slice(0, start)}${section}${end === -1 ? "" : results.slice(end + 1)}`;
}
writeFileSync(resultsPath, results);
console.log(`\nrecorded in ${resultsPath}`);
