import type { $ZodType, output } from "zod/v4/core";
import { ValidationError } from "../core/errors.js";
import { validate } from "../core/validate.js";
import type { CommandContext } from "./context.js";
import { UsageError } from "./errors.js";

/**
 * Validates flag values with a zod schema; a failure is a usage error (exit 2 with the command's
 * help) that names each bad flag as `--kebab-case`.
 */
export function parseFlags<S extends $ZodType>(
  ctx: CommandContext,
  schema: S,
  value: unknown,
): output<S> {
  try {
    return validate(schema, value, "flags");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const text = error.issues
      .map((i) => {
        const [head] = i.path;
        return typeof head === "string" ? `--${kebab(head)}: ${i.message}` : i.message;
      })
      .join("; ");
    throw new UsageError(text, ctx.command);
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
