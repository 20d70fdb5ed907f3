import { AuthenticationError } from "../core/api-errors.js";
import { readSetting, settingEnvVar } from "../core/setting-sources.js";

/**
 * The API key of the endpoint clients: the `apiKey` option, else `RUNPOD_API_KEY`. Without one,
 * an `AuthenticationError` with no status (nothing was sent).
 */
export function apiKey(explicit: string | undefined): string {
  const key = readSetting("apiKey", explicit);
  if (key === undefined) {
    throw new AuthenticationError(
      `No Runpod API key: pass the "apiKey" option or set ${settingEnvVar("apiKey")}`,
      { status: undefined },
    );
  }
  return key;
}
