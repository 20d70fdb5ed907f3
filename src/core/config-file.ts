import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse, TomlError, type TomlTable } from "smol-toml";
import { ValidationError } from "./errors.js";

/**
 * `~/.runpod/config.toml`, read the same way by the library and the CLI. The Python CLI
 * (`runpod config`) writes one table per profile, each with an `api_key` (spec §6.1); runpodctl
 * writes a top-level `apiKey` instead, which counts as the `default` profile's key when no
 * `[default]` table has one. Node only: never imported by the universal entries.
 */

/** The profile used when none is named. */
export const DEFAULT_PROFILE = "default";

/** One profile of the config file. */
export interface ConfigProfile {
  /** The profile's `api_key`, if it has one. */
  readonly apiKey: string | undefined;
  /** Every key of the profile's table, as written. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** Where the config file lives: `$HOME/.runpod/config.toml` (`homedir()` honours HOME). */
export function configFilePath(home: string = homedir()): string {
  return join(home, ".runpod", "config.toml");
}

/**
 * Reads and parses the whole config file; `undefined` when it does not exist. Big integers stay
 * exact, so a rewrite never changes a value we do not own.
 * @throws ValidationError when the file is not valid TOML.
 */
export async function readConfigFile(
  path: string = configFilePath(),
): Promise<TomlTable | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return parse(text, { integersAsBigInt: "asNeeded" });
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line})` : "";
    throw new ValidationError(`config file ${path}`, [
      { path: [], message: `not valid TOML${where}` },
    ]);
  }
}

/** A TOML table: smol-toml parses dates to `Date`s, which are objects too. */
export function isTable(value: unknown): value is TomlTable {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** The profiles of a parsed file that hold a key, in file order; runpodctl's key as `default`. */
export function listProfiles(config: TomlTable): Array<{ name: string; apiKey: string }> {
  const profiles: Array<{ name: string; apiKey: string }> = [];
  for (const [name, value] of Object.entries(config)) {
    if (isTable(value) && typeof value.api_key === "string") {
      profiles.push({ name, apiKey: value.api_key });
    }
  }
  const ctl = config.apiKey;
  if (typeof ctl === "string" && ctl !== "" && !profiles.some((p) => p.name === DEFAULT_PROFILE)) {
    profiles.unshift({ name: DEFAULT_PROFILE, apiKey: ctl });
  }
  return profiles;
}

/**
 * Reads one profile (`default` unless named); `undefined` when the file or the profile is missing.
 * @throws ValidationError when the file is not valid TOML or the profile's `api_key` is not a
 * non-empty string.
 */
export async function readConfigProfile(
  profile = DEFAULT_PROFILE,
  path: string = configFilePath(),
): Promise<ConfigProfile | undefined> {
  const file = await readConfigFile(path);
  if (file === undefined) return undefined;
  const table = file[profile];
  if (isTable(table) && table.api_key !== undefined) {
    const key = table.api_key;
    if (typeof key !== "string" || key === "") {
      throw new ValidationError(`config file ${path}`, [
        { path: [profile, "api_key"], message: "must be a non-empty string" },
      ]);
    }
    return { apiKey: key, values: table };
  }
  const ctl = listProfiles(file).find((p) => p.name === profile);
  if (ctl) return { apiKey: ctl.apiKey, values: { api_key: ctl.apiKey } };
  return isTable(table) ? { apiKey: undefined, values: table } : undefined;
}
