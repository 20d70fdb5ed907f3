import { AuthenticationError } from "../core/api-errors.js";
import { resolveSetting, settingEnvVar } from "../core/settings.js";

/**
 * The API key, looked up in order: the `apiKey` option, `RUNPOD_API_KEY`, then the `default`
 * profile of `~/.runpod/config.toml`. The config file is read lazily (and only once per client)
 * so constructing a client never touches the disk.
 * @throws AuthenticationError when none of them has a key; nothing has been sent.
 */
export async function resolveApiKey(explicit: string | undefined): Promise<string> {
  const fromOptionOrEnv = resolveSetting("apiKey", explicit);
  if (fromOptionOrEnv !== undefined) return fromOptionOrEnv;
  const { readConfigProfile, configFilePath } = await import("./config-file.js");
  const profile = await readConfigProfile("default");
  if (profile?.apiKey !== undefined) return profile.apiKey;
  throw new AuthenticationError(
    `No Runpod API key: pass the \`apiKey\` option, set ${settingEnvVar("apiKey")}, or run ` +
      `\`runpod-ts config\` to save one in ${configFilePath()}`,
    { status: undefined },
  );
}
