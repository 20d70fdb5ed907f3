import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import * as z from "zod/mini";
import { VERSION } from "../../../core/version.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { projectFiles, TEMPLATES } from "../../templates/index.js";
import { parseFlags } from "../../usage.js";

/**
 * Overrides the runpod-ts dependency spec written into package.json, e.g. a path to a packed
 * tarball when testing an unreleased build. Not advertised in --help.
 */
export const SDK_SPEC_ENV = "RUNPOD_TS_SDK_SPEC";

const flags = z.object({
  template: z.enum(TEMPLATES, { error: `must be one of: ${TEMPLATES.join(", ")}` }),
});

/** `runpod-ts init [dir]`: writes a new worker project into an empty or new directory. */
export async function initProject(ctx: CommandContext): Promise<void> {
  const { template } = parseFlags(ctx, flags, ctx.options);
  const dirArg = typeof ctx.args[0] === "string" ? ctx.args[0] : ".";
  const dir = resolve(dirArg);
  await ensureEmpty(dir, dirArg);

  const sdkSpec = ctx.io.env[SDK_SPEC_ENV] || `^${VERSION}`;
  const files = projectFiles({ name: packageName(basename(dir)), sdkSpec, template });
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    // "wx": never overwrite, even if something appeared since the emptiness check.
    await writeFile(target, content, { flag: "wx" });
  }

  const shown = relative(process.cwd(), dir) || ".";
  ctx.out.data({ dir, template, files: Object.keys(files) }, () =>
    [
      `Created a ${template} worker in ${shown}`,
      "",
      "Next:",
      ...(shown === "." ? [] : [`  cd ${shown}`]),
      "  npm install",
      "  npm test          # runs test_input.json through the handler once",
    ].join("\n"),
  );
}

async function ensureEmpty(dir: string, dirArg: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") throw new CliError(`${dir} is a file`, "choose a directory name");
    throw error;
  }
  if (entries.length > 0) {
    const suggestion = await freeName(dirArg === "." ? "my-worker" : dirArg);
    throw new CliError(
      `${dir} is not empty (${entries.length} entries); init never overwrites files`,
      `choose a new or empty directory, e.g. \`runpod-ts init ${suggestion}\``,
    );
  }
}

/** `name`, or `name-2`, `name-3`, … : the first that does not exist yet. */
async function freeName(name: string): Promise<string> {
  const base = name.replace(/\/+$/, "");
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** An npm package name from a directory name: lower case, URL-safe, never empty. */
export function packageName(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-]+$/g, "")
    .slice(0, 214);
  return name === "" ? "runpod-worker" : name;
}
