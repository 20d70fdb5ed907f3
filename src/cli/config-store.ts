import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify, type TomlTable } from "smol-toml";
import { isTable, readConfigFile } from "../core/config-file.js";
import { ValidationError } from "../core/errors.js";
import { CliError } from "./errors.js";

/**
 * Writing `~/.runpod/config.toml` in the Python CLI's format: one table per profile, each with
 * `api_key`. Reading it (and resolving the key) is core's (`core/config-file.ts`,
 * `core/api-key.ts`), shared with the library. Updates keep every other table and key
 * (runpodctl's top-level keys too); comments are not kept, since smol-toml does not model them.
 */
export {
  configFilePath as configPath,
  DEFAULT_PROFILE,
  listProfiles,
} from "../core/config-file.js";

/** The parsed file (read by core's one reader); an empty table when it does not exist yet. */
export async function readConfig(path: string): Promise<TomlTable> {
  try {
    return (await readConfigFile(path)) ?? {};
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new CliError(
      `${path} is ${error.issues[0]?.message ?? "not valid TOML"}`,
      "fix the file or move it away and run `runpod-ts config` again",
      { cause: error },
    );
  }
}

/**
 * Sets `api_key` of `profile`, keeping everything else. Written to a temporary file (mode 0600)
 * and renamed over the old one, so a crash never leaves a half-written key file; the directory is
 * created 0700.
 * @returns whether the profile already had a key (which is now replaced).
 */
export async function writeProfileKey(
  path: string,
  profile: string,
  apiKey: string,
): Promise<{ replaced: boolean }> {
  const config = await readConfig(path);
  const existing = config[profile];
  const table = isTable(existing) ? existing : {};
  const replaced = typeof table.api_key === "string";
  config[profile] = { ...table, api_key: apiKey };

  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.config.toml.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, stringify(config), { mode: 0o600, flag: "wx" });
    // The mode given to writeFile is filtered by the umask; make sure it is exactly 0600.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { replaced };
}

/** `rpa_…WXYZ`: enough to tell keys apart, never enough to use one. */
export function maskKey(apiKey: string): string {
  if (apiKey.length < 16) return "****";
  return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}
