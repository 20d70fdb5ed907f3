import * as z from "zod/mini";
import { formatIssues } from "../core/errors.js";
import { toIssues } from "../core/validate.js";
import { HttpError } from "./http-errors.js";

const digits = z.string().check(z.regex(/^\d+$/, "must be a whole number"));

/**
 * An integer query parameter, `undefined` when absent. Out-of-range values are clamped rather
 * than refused: clients compute `wait` from their own timeouts (the Go client may send 0).
 */
export function intQuery(
  value: string | undefined,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined || value === "") return undefined;
  const parsed = z.safeParse(digits, value);
  if (!parsed.success) {
    throw new HttpError(
      400,
      `query ${name}: ${formatIssues(toIssues(parsed.error.issues, "key"))}`,
    );
  }
  return Math.min(range.max, Math.max(range.min, Number(parsed.data)));
}
