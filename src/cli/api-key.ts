import { AuthenticationError } from "../core/api-errors.js";
import { resolveApiKey as resolveKey } from "../core/api-key.js";
import type { GlobalOptions } from "./context.js";
import { CliError } from "./errors.js";

/**
 * The key for commands that call Runpod, from the library's one resolver: `--api-key`, then the
 * profile named by `--profile`, then `RUNPOD_API_KEY`, then the `default` profile (or runpodctl's
 * top-level `apiKey`).
 */
export async function resolveApiKey(
  { apiKey, profile }: Pick<GlobalOptions, "apiKey" | "profile">,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  try {
    return await resolveKey({ apiKey, profile, env });
  } catch (error) {
    // A named profile without a key: say how to add one (no key at all keeps its own message).
    if (profile !== undefined && error instanceof AuthenticationError) {
      throw new CliError(error.message, `add one with \`runpod-ts config --profile ${profile}\``, {
        cause: error,
      });
    }
    throw error;
  }
}
