import type { $ZodIssue, $ZodType, output } from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import { ValidationError, type ValidationIssue } from "../../core/errors.js";

/**
 * zod/mini ships no locale, so every issue reads "Invalid input". The platform's answers and
 * option errors must say what was wrong, so we word the common issue codes ourselves.
 */
export function describeIssue(issue: $ZodIssue): string {
  // A message the schema set itself wins over our generic wording.
  if (issue.message !== "" && issue.message !== "Invalid input") return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "too_small":
      return issue.origin === "string"
        ? `must be at least ${String(issue.minimum)} character${issue.minimum === 1 ? "" : "s"} long`
        : `must be ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      return `must be ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_format":
      return `not a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

export function toIssues(issues: readonly $ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: describeIssue(issue),
  }));
}

/** Like core `validate`, with worded messages: throws a `ValidationError` naming `what`. */
export function check<S extends $ZodType>(schema: S, value: unknown, what: string): output<S> {
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  throw new ValidationError(what, toIssues(result.error.issues));
}
