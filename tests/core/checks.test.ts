/** The hand-written rule kit: each rule's issues, with their paths, and the error `validated` throws. */
import { describe, expect, it } from "vitest";
import {
  byType,
  custom,
  func,
  object,
  positiveInteger,
  type Rule,
  recordOf,
  string,
  tuple,
  validated,
} from "../../src/core/checks.js";
import { ValidationError, type ValidationIssue } from "../../src/core/errors.js";

/** The issues `check` reports for `value`, found at the path `["at"]`. */
function issues(check: Rule, value: unknown): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  check(value, ["at"], found);
  return found;
}

describe("rules", () => {
  it("custom: the message unless the predicate holds", () => {
    const even = custom((v) => typeof v === "number" && v % 2 === 0, "must be even");
    expect(issues(even, 2)).toEqual([]);
    expect(issues(even, 3)).toEqual([{ path: ["at"], message: "must be even" }]);
    expect(issues(even, "2")).toEqual([{ path: ["at"], message: "must be even" }]);
  });

  it("positiveInteger: an integer >= 1, in zod's words", () => {
    expect(issues(positiveInteger, 1)).toEqual([]);
    expect(issues(positiveInteger, Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(issues(positiveInteger, 0)).toEqual([{ path: ["at"], message: "must be > 0" }]);
    expect(issues(positiveInteger, -3)).toEqual([{ path: ["at"], message: "must be > 0" }]);
    expect(issues(positiveInteger, 1.5)).toEqual([
      { path: ["at"], message: "expected an integer" },
    ]);
    expect(issues(positiveInteger, "2")).toEqual([
      { path: ["at"], message: "expected an integer" },
    ]);
    expect(issues(positiveInteger, 2 ** 60)).toEqual([
      { path: ["at"], message: `must be <= ${Number.MAX_SAFE_INTEGER}` },
    ]);
  });

  it("byType: each type's own rule and messages; any other type gets the message", () => {
    const intOrFn = byType({ number: positiveInteger, function: func }, "integer or function");
    expect(issues(intOrFn, 4)).toEqual([]);
    expect(issues(intOrFn, () => 4)).toEqual([]);
    expect(issues(intOrFn, 0)).toEqual([{ path: ["at"], message: "must be > 0" }]);
    expect(issues(intOrFn, "4")).toEqual([{ path: ["at"], message: "integer or function" }]);
    expect(issues(intOrFn, null)).toEqual([{ path: ["at"], message: "integer or function" }]);
  });

  it("recordOf: a plain object whose every value passes, each issue under its key", () => {
    const strings = recordOf(string);
    expect(issues(strings, {})).toEqual([]);
    expect(issues(strings, { A: "1", B: "" })).toEqual([]);
    expect(issues(strings, { A: 1, B: "x", C: null })).toEqual([
      { path: ["at", "A"], message: "expected string" },
      { path: ["at", "C"], message: "expected string" },
    ]);
    for (const notRecord of [null, undefined, "A=1", ["1"], new Map(), new Date(0)]) {
      expect(issues(strings, notRecord)).toEqual([{ path: ["at"], message: "expected record" }]);
    }
  });

  it("tuple: each item by the rule at its index, and the paths carry the index", () => {
    const pair = tuple(string, object({ flag: custom((v) => v === true, "must be true") }));
    expect(issues(pair, ["a", { flag: true }])).toEqual([]);
    expect(issues(pair, ["a"])).toEqual([{ path: ["at", 1], message: "expected object" }]);
    expect(issues(pair, [1, { flag: false }])).toEqual([
      { path: ["at", 0], message: "expected string" },
      { path: ["at", 1, "flag"], message: "must be true" },
    ]);
    expect(issues(pair, "a")).toEqual([{ path: ["at"], message: "expected array" }]);
  });

  it("object: reports unknown keys, so a misspelt option is not dropped", () => {
    const shape = object({ concurrency: positiveInteger });
    expect(issues(shape, { concurrency: 2 })).toEqual([]);
    expect(issues(shape, { concurency: 2 })).toEqual([
      { path: ["at"], message: 'unknown option "concurency"' },
    ]);
    expect(issues(object({}, { loose: true }), { extra: 1 })).toEqual([]);
  });
});

describe("validated", () => {
  it("returns the value when no rule objects, else throws a ValidationError naming `what`", () => {
    const rule = object({ n: positiveInteger }, { required: ["n"] });
    expect(validated(rule, { n: 1 }, "the thing")).toEqual({ n: 1 });
    let error: unknown;
    try {
      validated(rule, { n: 0, m: 1 }, "the thing");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      'Invalid the thing: n: must be > 0; unknown option "m"',
    );
    expect((error as ValidationError).issues).toEqual([
      { path: ["n"], message: "must be > 0" },
      { path: [], message: 'unknown option "m"' },
    ]);
  });
});
