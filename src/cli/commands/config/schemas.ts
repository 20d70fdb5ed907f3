import * as z from "zod/mini";

/** Profile names are TOML bare keys, so the file stays readable and the Python CLI agrees. */
export const profileSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1-64 letters, digits, '-' or '_'"));

/** Keys are opaque tokens; reject what cannot be one, and never repeat the value in the message. */
export const apiKeySchema = z
  .string()
  .check(
    z.minLength(1, "must not be empty"),
    z.maxLength(512, "is too long for an API key"),
    z.regex(/^\S+$/, "must not contain spaces"),
  );
