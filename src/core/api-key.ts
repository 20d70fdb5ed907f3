import { readEnv } from "../internal/runtime.js";
import { AuthenticationError } from "./api-errors.js";
import { settingEnvVar } from "./setting-sources.js";

/** Where a caller looks for the API key; each field optional. */
export interface ApiKeySources {
  /** An explicit key (the `apiKey` option, `--api-key`). */
  apiKey?: string | undefined;
  /** A named profile of `~/.runpod/config.toml` (`--profile`): then it alone decides. */
  profile?: string | undefined;
  /** The environment to read `RUNPOD_API_KEY` from. @default the process's */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The one API key resolver of the library and the CLI. The most explicit source wins: the
 * explicit key, then the named profile, then `RUNPOD_API_KEY`, then the `default` profile of
 * `~/.runpod/config.toml` (runpodctl's top-level `apiKey` counts as that profile). The file is
 * read only when needed, through a dynamic import, so constructing a client never touches the disk.
 * Messages name the sources, never the key.
 * @throws AuthenticationError (with `status` undefined: nothing was sent) when no source has a key.
 */
export async function resolveApiKey(sources: ApiKeySources = {}): Promise<string> {
  const { apiKey, profile } = sources;
  if (apiKey !== undefined && apiKey !== "") return apiKey;
  const { configFilePath, readConfigProfile, DEFAULT_PROFILE } = await import("./config-file.js");
  if (profile !== undefined) {
    const key = (await readConfigProfile(profile))?.apiKey;
    if (key !== undefined) return key;
    throw new AuthenticationError(`Profile "${profile}" has no API key in ${configFilePath()}`, {
      status: undefined,
    });
  }
  const env = settingEnvVar("apiKey");
  const fromEnv = sources.env ? sources.env[env] : readEnv(env);
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const key = (await readConfigProfile(DEFAULT_PROFILE))?.apiKey;
  if (key !== undefined) return key;
  throw new AuthenticationError(
    `No Runpod API key: pass the \`apiKey\` option, set ${env}, or run ` +
      `\`runpod-ts config\` to save one in ${configFilePath()}`,
    { status: undefined },
  );
}
