import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify, TomlError, type TomlTable } from "smol-toml";
import { CliError } from "./errors.js";

/**
 * `~/.runpod/config.toml` in the Python CLI's format: one table per profile, each with `api_key`.
 * Updates keep every other table and key (runpodctl's top-level keys too); comments are not kept,
 * since smol-toml does not model them.
 */
export const DEFAULT_PROFILE = "default";

/** `homedir()` honours `HOME` on POSIX and `USERPROFILE` on Windows. */
export function configPath(home: string = homedir()): string {
  return join(home, ".runpod", "config.toml");
}

export interface ProfileEntry {
  name: string;
  apiKey: string;
}

/** The parsed file; an empty table when it does not exist yet. */
export async function readConfig(path: string): Promise<TomlTable> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    // Big integers stay exact so a rewrite never changes a value we do not own.
    return parse(text, { integersAsBigInt: "asNeeded" });
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line})` : "";
    throw new CliError(
      `${path} is not valid TOML${where}`,
      "fix the file or move it away and run `runpod-ts config` again",
      { cause: error },
    );
  }
}

/** Profiles (tables with a string `api_key`), in file order. */
export function listProfiles(config: TomlTable): ProfileEntry[] {
  const profiles: ProfileEntry[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (!isTable(value)) continue;
    const apiKey = value.api_key;
    if (typeof apiKey === "string") profiles.push({ name, apiKey });
  }
  return profiles;
}

export async function readProfileKey(path: string, profile: string): Promise<string | undefined> {
  return listProfiles(await readConfig(path)).find((p) => p.name === profile)?.apiKey;
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

function isTable(value: unknown): value is TomlTable {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}
