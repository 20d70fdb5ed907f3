import * as z from "zod";
import { InvalidResponseError } from "../../../core/api-errors.js";
import { validate } from "../../../core/validate.js";

/** Drops the `null` entries GraphQL list types allow, and treats a missing list as empty. */
export function compact<T>(list: ReadonlyArray<T | null> | null | undefined): T[] {
  return (list ?? []).filter((item): item is T => item !== null);
}

/** A root field that must be present on success; its absence is a server fault, not ours. */
export function required<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) {
    throw new InvalidResponseError(`The Runpod API returned no \`${field}\``, { status: 200 });
  }
  return value;
}

/** Checks an input before anything is sent; the error names the method and every problem. */
export function check<S extends z.ZodType>(schema: S, value: unknown, method: string): z.output<S> {
  return validate(schema, value, `${method}() input`);
}

export const id = (what: string) => z.string().min(1, `${what} must be a non-empty string`);
export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().nonnegative();

/** `{ KEY: "value" }`, sent as GraphQL's `[{ key, value }]`. */
export const envSchema = z.record(z.string().min(1), z.string());
export function envList(env: Record<string, string> | undefined) {
  return env === undefined
    ? undefined
    : Object.entries(env).map(([key, value]) => ({ key, value }));
}

/** `"8888/http,22/tcp"` or `["8888/http", "22/tcp"]`, sent as the comma string without spaces. */
export const portsSchema = z
  .union([z.string(), z.array(z.string().min(1))])
  .transform((p) => (Array.isArray(p) ? p.join(",") : p).replace(/\s+/g, ""));

/** Keeps only the keys whose value is defined, so optional inputs are left out of the variables. */
export function defined<T extends Record<string, unknown>>(
  obj: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
