/**
 * What runtime we are on, found without importing any `node:` module, so that code shared with
 * the universal endpoint client stays bundleable for browsers and edge runtimes.
 */
interface NodeLikeProcess {
  versions?: { node?: string; bun?: string };
  version?: string;
  platform?: string;
  arch?: string;
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

interface DenoLike {
  version?: { deno?: string };
  build?: { os?: string; arch?: string };
  env?: { get(name: string): string | undefined };
}

const g = globalThis as { process?: NodeLikeProcess; Deno?: DenoLike };

export interface RuntimeInfo {
  /** `Node`, `Bun`, `Deno` or `Unknown` (browsers and edge runtimes). */
  language: string;
  version: string;
  os: string;
  osRelease: string;
  arch: string;
}

export function runtimeInfo(): RuntimeInfo {
  const deno = g.Deno;
  if (deno?.version?.deno) {
    return {
      language: "Deno",
      version: deno.version.deno,
      os: deno.build?.os ?? "unknown",
      osRelease: "",
      arch: deno.build?.arch ?? "unknown",
    };
  }
  const proc = g.process;
  if (proc?.versions?.node) {
    // getBuiltinModule (Node >= 20.16) reads os facts without a static `node:os` import.
    const os = proc.getBuiltinModule?.("node:os") as
      | { type(): string; release(): string; arch(): string }
      | undefined;
    return {
      language: proc.versions.bun ? "Bun" : "Node",
      version: proc.versions.bun ?? proc.versions.node,
      os: os?.type() ?? proc.platform ?? "unknown",
      osRelease: os?.release() ?? "",
      arch: os?.arch() ?? proc.arch ?? "unknown",
    };
  }
  return { language: "Unknown", version: "", os: "unknown", osRelease: "", arch: "unknown" };
}

/** Reads an environment variable on Node, Bun and Deno; `undefined` elsewhere or when unset. */
export function readEnv(name: string): string | undefined {
  const fromProcess = g.process?.env?.[name];
  if (fromProcess !== undefined) return fromProcess;
  try {
    return g.Deno?.env?.get(name);
  } catch {
    // Deno without --allow-env throws; treat as unset.
    return undefined;
  }
}

/** True in a browser main thread or web worker, where fetch refuses a custom User-Agent. */
export function isBrowser(): boolean {
  const gg = globalThis as { window?: unknown; document?: unknown; importScripts?: unknown };
  return (gg.window !== undefined && gg.document !== undefined) || gg.importScripts !== undefined;
}
