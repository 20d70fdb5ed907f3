import * as z from "zod/mini";
import { readEnv } from "../internal/runtime.js";
import { validate } from "./validate.js";

/**
 * Settings shared by more than one mode: each has one definition with its env var, its default
 * and its validation. Mode-specific settings live with their mode.
 */
const definitions = {
  apiKey: { env: "RUNPOD_API_KEY", default: undefined, schema: z.string().check(z.minLength(1)) },
  endpointBaseUrl: {
    env: "RUNPOD_ENDPOINT_BASE_URL",
    default: "https://api.runpod.ai/v2",
    schema: z.url(),
  },
  apiBaseUrl: { env: "RUNPOD_API_BASE_URL", default: "https://api.runpod.io", schema: z.url() },
} as const;

export type SettingName = keyof typeof definitions;

/** The env var behind a setting, for error messages that tell the user what to set. */
export function settingEnvVar(name: SettingName): string {
  return definitions[name].env;
}

/**
 * The explicit option if given, else the env var, else the default; validated, with an error that
 * names both the option and the env var.
 */
export function resolveSetting(name: SettingName, explicit?: string): string | undefined {
  const def = definitions[name];
  const fromEnv = readEnv(def.env);
  const value = explicit ?? (fromEnv === "" ? undefined : fromEnv) ?? def.default;
  if (value === undefined) return undefined;
  const source = explicit !== undefined ? `option "${name}"` : `${def.env}`;
  return validate(def.schema, value, source);
}
