import { ValidationError, type ValidationIssue } from "./errors.js";

/*
 * A small hand-written validation kit for the code that must not load zod:
 * - the endpoint client: the smallest zod/mini schema costs ~4.5 KB min+gzip, more than half of its
 *   8 KB browser budget;
 * - the serverless worker (`start()` options, `formatWorkerEnv`): importing zod/mini alone takes
 *   ~11 MB of RSS and ~70 ms, and a worker's cold start is time the user is billed for.
 * It lives in core, free of Node built-ins, so both share one set of rules instead of keeping
 * copies. The messages follow `validate.ts` (which words zod's issues), so errors read the same in
 * every mode.
 */

type Path = Array<string | number>;
/** Reports the problems of `value` (found at `path`) into `issues`. */
export type Rule = (value: unknown, path: Path, issues: ValidationIssue[]) => void;

const rule =
  (problem: (v: unknown) => string | undefined): Rule =>
  (value, path, issues) => {
    const message = problem(value);
    if (message) issues.push({ path, message });
  };

const integerIn = (min: number, tooSmall: string, max = Number.MAX_SAFE_INTEGER): Rule =>
  rule((v) =>
    !Number.isInteger(v)
      ? "expected an integer"
      : (v as number) < min
        ? tooSmall
        : (v as number) > max
          ? `must be <= ${max}`
          : undefined,
  );

export const integer = (min: number, max = Number.MAX_SAFE_INTEGER): Rule =>
  integerIn(min, `must be >= ${min}`, max);

/** An integer >= 1, worded as zod words `.positive()` (marked pure so unused, it leaves bundles). */
export const positiveInteger: Rule = /* @__PURE__ */ integerIn(1, "must be > 0");

export const nonEmptyString = (pattern?: RegExp, hint?: string): Rule =>
  rule((v) =>
    typeof v !== "string"
      ? "expected string"
      : v === ""
        ? "length must be >= 1"
        : pattern && !pattern.test(v)
          ? hint
          : undefined,
  );

/** Any check the kit has no rule for: `message` unless `ok(value)`. */
export const custom = (ok: (v: unknown) => boolean, message: string): Rule =>
  rule((v) => (ok(v) ? undefined : message));

export const string: Rule = custom((v) => typeof v === "string", "expected string");

export const boolean: Rule = custom((v) => typeof v === "boolean", "expected boolean");

export const func: Rule = custom((v) => typeof v === "function", "must be a function");

export const abortSignal: Rule = custom((v) => v instanceof AbortSignal, "must be an AbortSignal");

/** A URL the platform can parse; `protocol` (without the colon) must match when given. */
export const url = (protocol = /^https?$/): Rule =>
  rule((v) => {
    try {
      if (typeof v === "string" && protocol.test(new URL(v).protocol.slice(0, -1))) return;
    } catch {}
    return "must be a valid url";
  });

/**
 * An object whose listed keys are checked when present (and must be present when `required`);
 * any other key is an error unless `loose`, so a misspelt option is reported, not dropped.
 */
export const object =
  (
    shape: Record<string, Rule>,
    opts: { required?: readonly string[]; loose?: boolean } = {},
  ): Rule =>
  (value, path, issues) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issues.push({ path, message: "expected object" });
      return;
    }
    const o = value as Record<string, unknown>;
    for (const [key, check] of Object.entries(shape)) {
      if (o[key] !== undefined) check(o[key], [...path, key], issues);
      else if (opts.required?.includes(key))
        issues.push({ path: [...path, key], message: "is required" });
    }
    const unknown = opts.loose ? [] : Object.keys(o).filter((k) => !Object.hasOwn(shape, k));
    if (unknown.length > 0) {
      const names = unknown.map((k) => `"${k}"`).join(", ");
      issues.push({ path, message: `unknown option${unknown.length > 1 ? "s" : ""} ${names}` });
    }
  };

type TypeName =
  | "string"
  | "number"
  | "bigint"
  | "boolean"
  | "symbol"
  | "undefined"
  | "object"
  | "function";

/**
 * A value of one of several types, each with its own rule (`{ number: positiveInteger, function:
 * func }`); a value of any other type gets `message`. A union that keeps each branch's wording.
 */
export const byType =
  (rules: Partial<Record<TypeName, Rule>>, message: string): Rule =>
  (value, path, issues) => {
    const check = rules[typeof value];
    if (check) check(value, path, issues);
    else issues.push({ path, message });
  };

/** A plain object (not an array, Map, Date...) whose every value `check` accepts. */
export const recordOf =
  (check: Rule): Rule =>
  (value, path, issues) => {
    if (Object.prototype.toString.call(value) !== "[object Object]") {
      issues.push({ path, message: "expected record" });
      return;
    }
    for (const [key, v] of Object.entries(value as object)) check(v, [...path, key], issues);
  };

/** An array (say, a function's arguments) whose items are checked by the rule at the same index. */
export const tuple =
  (...checks: Rule[]): Rule =>
  (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: "expected array" });
      return;
    }
    checks.forEach((check, i) => {
      check(value[i], [...path, i], issues);
    });
  };

/** Returns `value` typed as `T` when `check` finds nothing, else throws a `ValidationError`. */
export function validated<T>(check: Rule, value: unknown, what: string): T {
  const issues: ValidationIssue[] = [];
  check(value, [], issues);
  if (issues.length > 0) throw new ValidationError(what, issues);
  return value as T;
}
