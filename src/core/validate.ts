import type { $ZodIssue, $ZodType, output } from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import { ValidationError, type ValidationIssue } from "./errors.js";

/** What an unexpected key of an object is called in messages: options, or keys of a request body. */
export type KeyNoun = "option" | "key";

/**
 * Validates `value` against a zod schema (classic or mini) and returns the parsed value, or throws
 * a `ValidationError` naming `what` and every problem found.
 */
export function validate<S extends $ZodType>(
  schema: S,
  value: unknown,
  what: string,
  keyNoun: KeyNoun = "option",
): output<S> {
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  throw new ValidationError(what, toIssues(result.error.issues, keyNoun));
}

/** zod issues as the package's `ValidationIssue`s, worded (see `describeIssue`). */
export function toIssues(
  issues: readonly $ZodIssue[],
  keyNoun: KeyNoun = "option",
): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: describeIssue(issue, keyNoun),
  }));
}

/**
 * zod/mini ships no locale, so every built-in issue says only "Invalid input" (loading the English
 * locale would weigh on the browser bundle). Custom messages are kept; built-in ones are spelled out
 * from the issue's fields.
 */
function describeIssue(issue: $ZodIssue, keyNoun: KeyNoun): string {
  // A message the schema set itself wins over the generic wording.
  if (issue.message !== "" && issue.message !== "Invalid input") return issue.message;
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
      return `unknown ${keyNoun}${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    default:
      return issue.message;
  }
}
