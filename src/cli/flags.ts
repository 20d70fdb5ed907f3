import * as z from "zod";

/**
 * zod schemas for flag values as commander hands them over (strings, or string arrays for
 * repeatable flags). Used with `parseFlags`, so a bad value is a usage error naming the flag.
 */

/** A whole number of at least `min`, written in decimal digits. */
export const intFlag = (min: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`));

const ENV_ENTRY = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Repeated `--env KEY=VALUE`, as a record; a later KEY wins. */
export const envFlag = z
  .array(z.string().regex(ENV_ENTRY, "use KEY=VALUE, KEY a valid variable name"))
  .transform((entries) =>
    Object.fromEntries(
      entries.map((entry) => {
        const at = entry.indexOf("=");
        return [entry.slice(0, at), entry.slice(at + 1)];
      }),
    ),
  );

/** `a,b,c` (or repeated flags already joined) as a list without blanks. */
export const commaListFlag = z.string().transform((text) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== ""),
);

/** A non-empty string, e.g. an id. */
export const textFlag = z.string().trim().min(1, "must not be empty");
