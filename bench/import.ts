/**
 * Import cost of each public ESM entry of the built package: time of `await import(entry)` in a
 * fresh Node (median of N spawns), the package's files it loads up front (its static imports
 * followed through dist) and RSS after the import. Where import time is cold-start time (a worker,
 * a serverless function importing the endpoint client), every file costs its own resolve, read,
 * compile and link.
 *
 *   npm run bench:import                                  (builds first)
 *   RUNS=41 ENTRIES=endpoint,endpoint:browser npm run bench:import
 *   BENCH_AGAINST=.tmp/old npm run bench:import
 *
 * An entry is a subpath (`.` for the root), with `:condition` for an export condition Node adds
 * (`endpoint:browser`: the universal endpoint client). BENCH_AGAINST names a folder with another
 * build's package.json and dist/ (e.g. `mkdir -p .tmp/old && cp -r dist package.json .tmp/old/`
 * before a change).
 *
 * With BENCH_AGAINST, the two builds' spawns alternate, so both see the same machine load; the
 * "paired Δ" is the median of the per-pair differences. Import time moves with the machine's load;
 * compare only figures of one run.
 */
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const root = join(import.meta.dirname, "..");
const runs = Number(process.env.RUNS ?? 21);
const entries = (
  process.env.ENTRIES ?? "endpoint,endpoint:browser,api,local,serverless,serverless/io,."
).split(",");
const against = process.env.BENCH_AGAINST ? resolve(process.env.BENCH_AGAINST) : undefined;

interface Build {
  name: string;
  /** A folder whose node_modules/runpod-ts holds a copy of the build, as npm installs it. */
  app: string;
}

const work = mkdtempSync(join(tmpdir(), "runpod-ts-import-"));
// Both builds' dependencies: this repo's, found from the copies by walking up.
symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");

/**
 * A copy, not a symlink: Node runs a module from its real path, and files under node_modules cost
 * more memory than the same files elsewhere (the 13-file endpoint build held 4.8 MB more RSS than
 * the 2-file one installed, 1.3 MB more run from the repo), so only a copy measures what an
 * installed package costs.
 */
function install(name: string, pkg: string): Build {
  if (!existsSync(join(pkg, "dist"))) throw new Error(`${pkg}/dist is missing: build first`);
  const app = join(work, name);
  const target = join(app, "node_modules", "runpod-ts");
  mkdirSync(target, { recursive: true });
  cpSync(join(pkg, "package.json"), join(target, "package.json"));
  cpSync(join(pkg, "dist"), join(target, "dist"), { recursive: true });
  return { name, app };
}

/** `endpoint:browser` → `runpod-ts/endpoint` under the `browser` condition. */
function parse(entry: string): { specifier: string; nodeArgs: string[]; label: string } {
  const [path = ".", condition] = entry.split(":");
  const specifier = path === "." ? "runpod-ts" : `runpod-ts/${path}`;
  const nodeArgs = condition ? [`--conditions=${condition}`] : [];
  return { specifier, nodeArgs, label: condition ? `${specifier} (${condition})` : specifier };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The file Node loads for `entry`. */
function entryFile(build: Build, entry: string): string {
  const { specifier, nodeArgs } = parse(entry);
  const probe = `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`;
  const url = execFileSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", probe], {
    cwd: build.app,
    encoding: "utf8",
  }).trim();
  return new URL(url).pathname;
}

/** The package's files loaded up front: `file` and its static relative imports, followed. */
function staticFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const imports =
    /^(?:import|export)\s[^;]*?from\s*["'](\.[^"']+)["'];?$|^import\s*["'](\.[^"']+)["'];?$/gm;
  for (const match of readFileSync(file, "utf8").matchAll(imports)) {
    staticFiles(join(dirname(file), (match[1] ?? match[2]) as string), seen);
  }
  return seen;
}

interface Sample {
  importMs: number;
  rssMb: number;
}

function sample(build: Build, entry: string): Sample {
  const { specifier, nodeArgs } = parse(entry);
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)});
console.log(JSON.stringify({ importMs: performance.now() - t, rssMb: process.memoryUsage().rss / 1e6 }));`;
  const out = execFileSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", script], {
    cwd: build.app,
    encoding: "utf8",
  });
  return JSON.parse(out) as Sample;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
console.log(`${new Date().toISOString()}, Node ${process.version}, load ${load()}, ${runs} runs`);
try {
  const builds = [install("this", root), ...(against ? [install("against", against)] : [])];
  for (const entry of entries) {
    const samples = new Map<string, Sample[]>(builds.map((b) => [b.name, []]));
    for (let i = 0; i < runs; i++) {
      // Alternate which build goes first, so neither always runs on a cache the other warmed.
      for (const build of i % 2 === 0 ? builds : [...builds].reverse()) {
        samples.get(build.name)?.push(sample(build, entry));
      }
    }
    const cells = builds.map((build) => {
      const s = samples.get(build.name) ?? [];
      const ms = s.map((x) => x.importMs);
      const files = staticFiles(entryFile(build, entry)).size;
      return `${build.name}: ${median(ms).toFixed(1)} ms (${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}), ${files} files, ${median(s.map((x) => x.rssMb)).toFixed(1)} MB`;
    });
    const [mine, theirs] = builds.map((b) => samples.get(b.name) ?? []);
    if (mine && theirs) {
      const deltas = mine.map((s, i) => s.importMs - (theirs[i]?.importMs ?? Number.NaN));
      const faster = deltas.filter((d) => d < 0).length;
      cells.push(`paired Δ ${median(deltas).toFixed(1)} ms (this faster in ${faster}/${runs})`);
    }
    console.log(`${parse(entry).label.padEnd(36)} ${cells.join(" | ")}`);
  }
  console.log(`load ${load()} at the end`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
