import { AuthenticationError } from "../core/api-errors.js";
import { configPath, DEFAULT_PROFILE, readProfileKey } from "./config-store.js";
import type { GlobalOptions } from "./context.js";
import { CliError } from "./errors.js";

/**
 * The key for commands that call Runpod. The most explicit source wins: `--api-key`, then the
 * profile named by `--profile`, then `RUNPOD_API_KEY`, then the `default` profile (the Python
 * SDK's order for the last two).
 */
export async function resolveApiKey(
  { apiKey, profile }: Pick<GlobalOptions, "apiKey" | "profile">,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  if (apiKey !== undefined && apiKey !== "") return apiKey;
  const path = configPath();
  if (profile !== undefined) {
    const key = await readProfileKey(path, profile);
    if (key === undefined) {
      throw new CliError(
        `Profile "${profile}" has no API key in ${path}`,
        `add one with \`runpod-ts config --profile ${profile}\``,
      );
    }
    return key;
  }
  const fromEnv = env.RUNPOD_API_KEY;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const key = await readProfileKey(path, DEFAULT_PROFILE);
  // Same error class the API client throws for a missing key, so both read the same to the user.
  if (key === undefined)
    throw new AuthenticationError("No API key configured", { status: undefined });
  return key;
}
