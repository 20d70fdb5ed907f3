import type { $ZodIssue, $ZodType, output } from "zod/v4/core";
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
    message: describeIssue(issue),
  }));
  throw new ValidationError(what, issues);
}

/**
 * zod/mini ships no locale, so every built-in issue says only "Invalid input" (loading the English
 * locale would weigh on the browser bundle). Custom messages are kept; built-in ones are spelled out
 * from the issue's fields.
 */
function describeIssue(issue: $ZodIssue): string {
  if (issue.message !== "Invalid input") return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected === "int" ? "an integer" : issue.expected}`;
    case "too_small":
      return `${issue.origin === "string" ? "length must be" : "must be"} ${issue.inclusive ? ">=" : ">"} ${issue.minimum}`;
    case "too_big":
      return `${issue.origin === "string" ? "length must be" : "must be"} ${issue.inclusive ? "<=" : "<"} ${issue.maximum}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    default:
      return issue.message;
  }
}
