// Preload for running src/ with tsx outside vitest: supplies the version the build injects.
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
globalThis.__RUNPOD_TS_VERSION__ = pkg.version;
