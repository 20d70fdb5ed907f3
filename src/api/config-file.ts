import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { ValidationError } from "../core/errors.js";

/**
 * `~/.runpod/config.toml`, the file the Python CLI (`runpod config`) writes: one TOML table per
 * profile, each with an `api_key` (spec §6.1). runpodctl writes top-level `apiKey` instead; we read
 * that as the `default` profile's key when no `[default]` table exists.
 */

/** One profile of the config file. */
export interface ConfigProfile {
  /** The profile's `api_key`, if it has one. */
  readonly apiKey: string | undefined;
  /** Every key of the profile's table, as written. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** Where the config file lives: `$HOME/.runpod/config.toml` (HOME is respected on every OS). */
export function configFilePath(): string {
  return join(homedir(), ".runpod", "config.toml");
}

/**
 * Reads and parses the whole config file; `undefined` when it does not exist.
 * @throws ValidationError when the file is not valid TOML.
 */
export async function readConfigFile(
  path: string = configFilePath(),
): Promise<Readonly<Record<string, unknown>> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return parse(text);
  } catch (error) {
    throw new ValidationError(`config file ${path}`, [
      { path: [], message: `not valid TOML (${(error as Error).message.split("\n")[0]})` },
    ]);
  }
}

/**
 * Reads one profile (`default` unless named); `undefined` when the file or the profile is missing.
 * @throws ValidationError when the file is not valid TOML or the profile's `api_key` is not a
 * non-empty string.
 */
export async function readConfigProfile(
  profile = "default",
  path: string = configFilePath(),
): Promise<ConfigProfile | undefined> {
  const file = await readConfigFile(path);
  if (file === undefined) return undefined;
  const table = file[profile];
  if (typeof table === "object" && table !== null && !Array.isArray(table)) {
    const values = table as Record<string, unknown>;
    const key = values.api_key;
    if (key !== undefined && (typeof key !== "string" || key === "")) {
      throw new ValidationError(`config file ${path}`, [
        { path: [profile, "api_key"], message: "must be a non-empty string" },
      ]);
    }
    return { apiKey: key, values };
  }
  if (profile === "default" && typeof file.apiKey === "string" && file.apiKey !== "") {
    return { apiKey: file.apiKey, values: { api_key: file.apiKey } };
  }
  return undefined;
}
