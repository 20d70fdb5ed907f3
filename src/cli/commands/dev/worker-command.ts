import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { CommandContext } from "../../context.js";
import { CliError, UsageError } from "../../errors.js";

const JS = new Set([".js", ".mjs", ".cjs"]);
const TS = new Set([".ts", ".mts", ".cts"]);

/** How to start a worker file: `node [--import tsx] FILE`. */
export interface WorkerCommand {
  /** Absolute path of the worker file. */
  file: string;
  command: string;
  /** Node's arguments up to and including the file; the worker's own flags go after. */
  args: string[];
}

/**
 * The command that runs `fileArg` with this Node. TypeScript goes through tsx's loader, taken from
 * the worker's project when it has one (its version, its tsconfig handling), else from ours.
 */
export async function workerCommand(ctx: CommandContext, fileArg: unknown): Promise<WorkerCommand> {
  const file = resolve(String(fileArg));
  const ext = extname(file);
  if (!JS.has(ext) && !TS.has(ext)) {
    throw new UsageError(
      `${String(fileArg)}: expected a .js, .mjs, .cjs, .ts, .mts or .cts file`,
      ctx.command,
    );
  }
  try {
    await access(file);
  } catch {
    throw new CliError(`No worker file at ${file}`, "check the path");
  }
  if (JS.has(ext)) return { file, command: process.execPath, args: [file] };
  const loader = resolveTsx(file);
  return { file, command: process.execPath, args: ["--import", loader, file] };
}

function resolveTsx(file: string): string {
  for (const from of [join(file, ".."), import.meta.url]) {
    try {
      const base = from.startsWith("file:") ? from : join(from, "package.json");
      return pathToFileURL(createRequire(base).resolve("tsx")).href;
    } catch {
      // not installed there; try the next place
    }
  }
  throw new CliError(
    "Running a TypeScript worker needs tsx, which is not installed",
    "install it in your project (`npm install --save-dev tsx`), or build the worker and pass the .js file",
  );
}
