/**
 * `npm run bench:endpoint`: run + status cycles against a minimal loopback server, for raw fetch,
 * runpod-ts and runpod-sdk (the official JS client) in the same process; then the min+gzip size of
 * the runpod-ts/endpoint browser bundle. Prints the figures and records them in bench/RESULTS.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, platform, release } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import runpodSdk from "runpod-sdk";

const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
// The sources read the version from a build-time define; tsx has none, so provide the global.
(globalThis as { __RUNPOD_TS_VERSION__?: string }).__RUNPOD_TS_VERSION__ = pkg.version;
const { Endpoint } = await import("../src/endpoint/index.js");

const CYCLES = Number(process.env.BENCH_CYCLES ?? 3_000);
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

const ep = new Endpoint("ep", { apiKey: KEY, baseUrl });
const ours: Cycle = async () => (await ep.run({ n: 1 })).status();

const sdkEndpoint = runpodSdk(KEY, { baseUrl }).endpoint("ep");
if (!sdkEndpoint) throw new Error("runpod-sdk returned no endpoint");
const sdk: Cycle = async () => {
  const { id } = (await sdkEndpoint.run({ input: { n: 1 } })) as { id: string };
  return sdkEndpoint.status(id);
};

const clients: Array<[string, Cycle]> = [
  ["raw fetch", rawFetch],
  ["runpod-ts", ours],
  ["runpod-sdk", sdk],
  ["raw fetch + AbortSignal", rawFetchWithSignal],
];
// Warm up JIT and keep-alive sockets.
for (let i = 0; i < 300; i++) for (const [, cycle] of clients) await cycle();
// Cycles interleave the clients one by one, rotating who goes first, so drift and load from other
// processes hit all three alike; the median cycle of each is its figure.
const samples = new Map<string, number[]>(clients.map(([name]) => [name, []]));
for (let i = 0; i < CYCLES; i++) {
  for (let k = 0; k < clients.length; k++) {
    const [name, cycle] = clients[(i + k) % clients.length] as [string, Cycle];
    const start = performance.now();
    await cycle();
    samples.get(name)?.push(performance.now() - start);
  }
}
server.close();

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const rows = clients.map(([name]) => {
  const cycleUs = median(samples.get(name) as number[]) * 1000;
  return { name, cyclesPerSec: Math.round(1e6 / cycleUs), perCallUs: cycleUs / 2 };
});
const raw = rows[0] as (typeof rows)[number];
const our = rows[1] as (typeof rows)[number];
const official = rows[2] as (typeof rows)[number];
const withSignal = rows[3] as (typeof rows)[number];

// Bundle: what a browser app gets for `import ... from "runpod-ts/endpoint"` (every export kept).
const bundled = await build({
  entryPoints: [join(root, "src/endpoint/index.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  write: false,
  logLevel: "silent",
  define: { __RUNPOD_TS_VERSION__: JSON.stringify(pkg.version) },
});
const minified = bundled.outputFiles[0]?.contents ?? new Uint8Array();
const gzipped = gzipSync(minified, { level: 9 }).length;

const table = [
  "| client | run+status cycles/s | per call (µs) | vs raw fetch |",
  "|---|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.cyclesPerSec} | ${r.perCallUs.toFixed(1)} | ${(r.perCallUs / raw.perCallUs).toFixed(3)}x |`,
  ),
].join("\n");
const ratioToRaw = our.perCallUs / raw.perCallUs;
const ratioToSdk = official.perCallUs / our.perCallUs;
const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpu} (${cpus().length} threads), ${platform()} ${release()}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const summary = [
  `runpod-ts per call: ${our.perCallUs.toFixed(1)} µs, ${ratioToRaw.toFixed(3)}x raw fetch (target ≤ 1.1x: ${ratioToRaw <= 1.1 ? "met" : "NOT met"}), overhead ${(our.perCallUs - raw.perCallUs).toFixed(1)} µs`,
  `of which the per-request AbortSignal alone (raw fetch + AbortSignal): ${(withSignal.perCallUs - raw.perCallUs).toFixed(1)} µs`,
  `runpod-sdk per call: ${official.perCallUs.toFixed(1)} µs, ${ratioToSdk.toFixed(2)}x runpod-ts (above 1 means runpod-ts is faster)`,
  `runpod-ts/endpoint browser bundle: ${minified.length} B minified, ${gzipped} B (${(gzipped / 1024).toFixed(2)} KiB) min+gzip (target < 8 KB: ${gzipped < 8000 ? "met" : "NOT met"})`,
];
console.log(`${table}\n\n${summary.join("\n")}`);

const section = `## Endpoint client

\`npm run bench:endpoint\` (${date}; ${machine}; load average ${loadavg()[0]?.toFixed(1)} at the end).
${CYCLES} sequential \`run\` + \`status\` cycles per client against a minimal loopback HTTP server,
interleaved cycle by cycle; figures are from the median cycle; "per call" is half a cycle. The
machine is shared, so the ratio moves by a few hundredths between runs.

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
