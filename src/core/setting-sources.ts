import { readEnv } from "../internal/runtime.js";

/**
 * Where each shared setting comes from: its env var and its default. Kept apart from the zod
 * schemas of `settings.ts` so the universal endpoint client can read settings without bundling zod.
 */
export const SETTING_SOURCES = {
  apiKey: { env: "RUNPOD_API_KEY", default: undefined },
  endpointBaseUrl: { env: "RUNPOD_ENDPOINT_BASE_URL", default: "https://api.runpod.ai/v2" },
  apiBaseUrl: { env: "RUNPOD_API_BASE_URL", default: "https://api.runpod.io" },
} as const;

export type SettingName = keyof typeof SETTING_SOURCES;

/** The env var behind a setting, for error messages that tell the user what to set. */
export function settingEnvVar(name: SettingName): string {
  return SETTING_SOURCES[name].env;
}

/** The explicit option if given, else the env var (empty counts as unset), else the default. */
export function readSetting(name: SettingName, explicit?: string): string | undefined {
  const fromEnv = readEnv(SETTING_SOURCES[name].env);
  return explicit ?? (fromEnv === "" ? undefined : fromEnv) ?? SETTING_SOURCES[name].default;
}
