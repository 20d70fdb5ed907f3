import * as z from "zod/mini";
import { readSetting, type SettingName, settingEnvVar } from "./setting-sources.js";
import { validate } from "./validate.js";

export { type SettingName, settingEnvVar } from "./setting-sources.js";

/**
 * Settings shared by more than one mode: each has one definition with its env var and default
 * (`setting-sources.ts`) and its validation (here). Mode-specific settings live with their mode.
 */
const schemas = {
  apiKey: z.string().check(z.minLength(1)),
  endpointBaseUrl: z.url(),
  apiBaseUrl: z.url(),
} satisfies Record<SettingName, z.ZodMiniType>;

/**
 * The explicit option if given, else the env var, else the default; validated, with an error that
 * names both the option and the env var.
 */
export function resolveSetting(name: SettingName, explicit?: string): string | undefined {
  const value = readSetting(name, explicit);
  if (value === undefined) return undefined;
  const source = explicit !== undefined ? `option "${name}"` : `${settingEnvVar(name)}`;
  return validate(schemas[name], value, source);
}
