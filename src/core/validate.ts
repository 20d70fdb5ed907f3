import type { $ZodType, output } from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import { ValidationError, type ValidationIssue } from "./errors.js";

/**
 * Validates `value` against a zod schema (classic or mini) and returns the parsed value, or throws
 * a `ValidationError` naming `what` and every problem found.
 */
export function validate<S extends $ZodType>(schema: S, value: unknown, what: string): output<S> {
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: issue.message,
  }));
  throw new ValidationError(what, issues);
}
