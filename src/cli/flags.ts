import * as z from "zod";

/**
 * zod schemas for flag values as commander hands them over (strings, or string arrays for
 * repeatable flags). Used with `parseFlags`, so a bad value is a usage error naming the flag.
 * Each is a function that builds its schema: every command loads this module, and building a zod
 * schema costs ~1 ms, so a command builds only the ones its flags use.
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
export const envFlag = () =>
  z
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
export const commaListFlag = () =>
  z.string().transform((text) =>
    text
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );

/** A non-empty string, e.g. an id. */
export const textFlag = () => z.string().trim().min(1, "must not be empty");

/**
 * A volume size in GB: 0 for none, else at least 10, REST v2's minimum for pod and template
 * volumes (a smaller one would be refused only after the request).
 */
export const volumeGbFlag = () =>
  intFlag(0).refine((gb) => gb === 0 || gb >= 10, "must be 0 (none) or at least 10 GB");

/** One CUDA version as REST v2's `allowedCudaVersions` spells them. */
export const cudaVersionFlag = () => z.string().regex(/^\d+\.\d+$/, 'use major.minor, e.g. "12.4"');

/** `--cuda 12.4,12.8`: the CUDA versions a GPU may run. */
export const cudaVersionsFlag = () => commaListFlag().pipe(z.array(cudaVersionFlag()));
