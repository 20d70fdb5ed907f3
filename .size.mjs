import { build } from "esbuild";
import { gzipSync } from "node:zlib";
const r = await build({ entryPoints: [process.argv[2] ?? "src/endpoint/index.ts"], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent", define: { __RUNPOD_TS_VERSION__: '"0.1.0"' } });
const m = r.outputFiles[0].contents;
console.log(m.length, gzipSync(m, { level: 9 }).length);
