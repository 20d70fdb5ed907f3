import { ValidationError, type ValidationIssue } from "../../core/errors.js";
import { isJsonObject } from "../../internal/json-object.js";
import { requestSchemas } from "../generated/rest-v2-requests.js";

/*
 * Checks a request body against its schema in the vendored OpenAPI document before it is sent, so
 * a request the document calls invalid never leaves (and the error names the field). A small
 * interpreter of the JSON Schema keywords the document's request schemas use, rather than zod or
 * ajv on the import path of `runpod-ts/api` (issue #16: no zod up front); the schemas themselves
 * are generated from the document, so there is one source of what a valid request is.
 */

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  unevaluatedProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  not?: Schema;
}

type Path = Array<string | number>;

const schemas = requestSchemas as Readonly<Record<string, Schema>>;

function resolve(ref: string): Schema {
  const schema = schemas[ref.replace("#/components/schemas/", "")];
  if (!schema) throw new Error(`runpod-ts: no schema ${ref} in the generated request schemas`);
  return schema;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isJsonObject(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : type);

/** Checks `value`; returns the property names this schema evaluated (for unevaluatedProperties). */
function check(schema: Schema, value: unknown, path: Path, issues: ValidationIssue[]): Set<string> {
  const evaluated = new Set<string>();
  const absorb = (keys: Set<string>) => {
    for (const k of keys) evaluated.add(k);
  };
  if (schema.$ref) absorb(check(resolve(schema.$ref), value, path, issues));
  for (const sub of schema.allOf ?? []) absorb(check(sub, value, path, issues));

  for (const [branches, exactlyOne] of [
    [schema.oneOf, true],
    [schema.anyOf, false],
  ] as const) {
    if (!branches) continue;
    const tries = branches.map((b) => {
      const found: ValidationIssue[] = [];
      return { keys: check(b, value, path, found), found };
    });
    const passing = tries.filter((t) => t.found.length === 0);
    if (passing.length > 0 && (!exactlyOne || passing.length === 1)) {
      absorb(passing[0]?.keys ?? new Set());
    } else {
      // Report the branch the value came closest to (say, the scaling type it named).
      const closest = tries.reduce((a, b) => (b.found.length < a.found.length ? b : a));
      issues.push(...(closest?.found ?? [{ path, message: "matches none of the allowed forms" }]));
    }
  }

  if (schema.if) {
    const probe: ValidationIssue[] = [];
    check(schema.if, value, path, probe);
    const next = probe.length === 0 ? schema.then : schema.else;
    if (next) absorb(check(next, value, path, issues));
  }
  if (schema.not) {
    const probe: ValidationIssue[] = [];
    check(schema.not, value, path, probe);
    if (probe.length === 0) issues.push({ path, message: "is not allowed here" });
  }

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      issues.push({ path, message: `expected ${types.map(article).join(" or ")}` });
      return evaluated;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    issues.push({
      path,
      message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`,
    });
  }
  if (schema.const !== undefined && value !== schema.const) {
    issues.push({ path, message: `must be ${JSON.stringify(schema.const)}` });
  }
  if (typeof value === "string") checkString(schema, value, path, issues);
  if (typeof value === "number") checkNumber(schema, value, path, issues);
  if (Array.isArray(value)) checkArray(schema, value, path, issues);
  if (isJsonObject(value)) absorb(checkObject(schema, value, path, issues, evaluated));
  return evaluated;
}

function checkString(schema: Schema, value: string, path: Path, issues: ValidationIssue[]) {
  if (schema.minLength !== undefined && value.length < schema.minLength)
    issues.push({
      path,
      message:
        schema.minLength === 1 ? "must not be empty" : `length must be >= ${schema.minLength}`,
    });
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    issues.push({ path, message: `length must be <= ${schema.maxLength}` });
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
    issues.push({ path, message: `must match ${schema.pattern}` });
}

function checkNumber(schema: Schema, value: number, path: Path, issues: ValidationIssue[]) {
  if (schema.minimum !== undefined && value < schema.minimum)
    issues.push({ path, message: `must be >= ${schema.minimum}` });
  if (schema.maximum !== undefined && value > schema.maximum)
    issues.push({ path, message: `must be <= ${schema.maximum}` });
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
    issues.push({ path, message: `must be > ${schema.exclusiveMinimum}` });
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
    issues.push({ path, message: `must be < ${schema.exclusiveMaximum}` });
}

function checkArray(schema: Schema, value: unknown[], path: Path, issues: ValidationIssue[]) {
  if (schema.minItems !== undefined && value.length < schema.minItems)
    issues.push({ path, message: `must have at least ${schema.minItems} item(s)` });
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    issues.push({ path, message: `must have at most ${schema.maxItems} item(s)` });
  if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
    issues.push({ path, message: "must not repeat an item" });
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      check(items, item, [...path, i], issues);
    });
  }
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: Path,
  issues: ValidationIssue[],
  evaluatedSoFar: Set<string>,
): Set<string> {
  const evaluated = new Set<string>();
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) issues.push({ path: [...path, key], message: "is required" });
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    evaluated.add(key);
    if (value[key] !== undefined) check(sub, value[key], [...path, key], issues);
  }
  const others = Object.keys(value).filter(
    (k) => value[k] !== undefined && !Object.hasOwn(schema.properties ?? {}, k),
  );
  if (schema.additionalProperties === false) unknownFields(others, path, issues);
  else if (isJsonObject(schema.additionalProperties)) {
    const sub = schema.additionalProperties;
    for (const k of others) {
      evaluated.add(k);
      check(sub, value[k], [...path, k], issues);
    }
  }
  if (schema.unevaluatedProperties === false) {
    const seen = new Set([...evaluatedSoFar, ...evaluated]);
    unknownFields(
      Object.keys(value).filter((k) => value[k] !== undefined && !seen.has(k)),
      path,
      issues,
    );
  }
  return evaluated;
}

function unknownFields(keys: string[], path: Path, issues: ValidationIssue[]) {
  if (keys.length === 0) return;
  const names = keys.map((k) => `"${k}"`).join(", ");
  issues.push({ path, message: `unknown field${keys.length > 1 ? "s" : ""} ${names}` });
}

/**
 * Returns `body` when it is a valid `schemaName` (a request schema of the document), else throws
 * a `ValidationError` naming every offending field, before anything is sent.
 */
export function checkRequest<T>(schemaName: string, body: T, what: string): T {
  const issues: ValidationIssue[] = [];
  check({ $ref: schemaName }, body, [], issues);
  if (issues.length > 0) throw new ValidationError(what, dedupe(issues));
  return body;
}

/** A non-empty id for a path segment. */
export function checkId(value: unknown, name: string, what: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(what, [{ path: [name], message: "must be a non-empty string" }]);
  }
  return value;
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path.join(".")}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
