/**
 * JSON text in the exact form of Python's `json.dumps` (§A.4): `", "` and `": "` separators, keys
 * in insertion order, and either raw non-ASCII (`ensure_ascii=False`, job-done bodies) or `\uXXXX`
 * escapes (`ensure_ascii=True`, the error string and platform log lines).
 *
 * Unlike `JSON.stringify`, values JSON cannot represent are refused with a message that says what
 * and where, instead of being dropped or turned into `{}` silently: a worker must report such a
 * result as a failure the user can act on.
 */

/** A value that cannot be written as JSON; `path` says where it is, e.g. `output.items[2]`. */
export class UnserializableValueError extends Error {
  readonly path: string;
  constructor(path: string, what: string) {
    super(`${path} ${what}`);
    this.name = "UnserializableValueError";
    this.path = path;
  }
}

export interface PythonJsonOptions {
  /** Escape every non-ASCII character as `\uXXXX` (Python's default). */
  ensureAscii: boolean;
  /** Name of the root value in error messages (`""` names paths from the first key). Default `value`. */
  rootName?: string;
}

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeNonAscii(quoted: string): string {
  // JSON.stringify already escapes quotes, backslashes, control characters and lone surrogates;
  // what is left to escape for ensure_ascii is DEL and everything above it (UTF-16 units, as Python).
  return quoted.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A string as Python's `json.dumps` writes it. */
export function pythonJsonString(s: string, ensureAscii: boolean): string {
  const q = JSON.stringify(s);
  return ensureAscii ? escapeNonAscii(q) : q;
}

function describe(value: unknown): string {
  if (typeof value === "bigint")
    return `is a BigInt (${value}n); JSON has no BigInt, convert it to a number or string`;
  if (typeof value === "function") return "is a function; functions cannot be sent as JSON";
  if (typeof value === "symbol") return "is a Symbol; symbols cannot be sent as JSON";
  return "cannot be sent as JSON";
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (path === "") return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Serialises `value` like Python's `json.dumps(value, ensure_ascii=...)`. `toJSON()` is honoured
 * (so `Date` becomes its ISO string), `undefined` object properties are omitted as in
 * `JSON.stringify`; a top-level `undefined` is `null`. Non-finite numbers become `null` (Python
 * would write the non-standard `NaN`, which JSON parsers reject). Throws
 * `UnserializableValueError` for BigInt, functions, symbols, cycles, `undefined` array elements,
 * and Map/Set (which `JSON.stringify` would silently turn into `{}`).
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions): string {
  const { ensureAscii } = options;
  const stack = new Set<object>();

  const write = (v: unknown, path: string, holder: string | number | undefined): string => {
    if (
      v !== null &&
      typeof v === "object" &&
      typeof (v as { toJSON?: unknown }).toJSON === "function"
    ) {
      v = (v as { toJSON(key: string): unknown }).toJSON(
        holder === undefined ? "" : String(holder),
      );
    }
    switch (typeof v) {
      case "string":
        return pythonJsonString(v, ensureAscii);
      case "number":
        return Number.isFinite(v) ? JSON.stringify(v) : "null";
      case "boolean":
        return v ? "true" : "false";
      case "undefined":
        return "null";
      case "object":
        break;
      default:
        throw new UnserializableValueError(path, describe(v));
    }
    if (v === null) return "null";
    if (v instanceof Map || v instanceof Set) {
      const kind = v instanceof Map ? "Map" : "Set";
      const hint = kind === "Map" ? "Object.fromEntries(map)" : "[...set]";
      throw new UnserializableValueError(path, `is a ${kind}; convert it first, e.g. with ${hint}`);
    }
    if (stack.has(v)) throw new UnserializableValueError(path, "refers back to itself (a cycle)");
    stack.add(v);
    try {
      if (Array.isArray(v)) {
        if (v.length === 0) return "[]";
        const parts: string[] = [];
        for (let i = 0; i < v.length; i++) {
          const item: unknown = v[i];
          const p = childPath(path, i);
          if (item === undefined) {
            throw new UnserializableValueError(p, "is undefined; use null in arrays");
          }
          parts.push(write(item, p, i));
        }
        return `[${parts.join(", ")}]`;
      }
      // Boxed primitives serialise as their primitive, as JSON.stringify does.
      if (v instanceof Number || v instanceof String || v instanceof Boolean) {
        return write(v.valueOf(), path, holder);
      }
      const parts: string[] = [];
      for (const key of Object.keys(v)) {
        const item = (v as Record<string, unknown>)[key];
        if (item === undefined) continue;
        const p = childPath(path, key);
        if (typeof item === "function" || typeof item === "symbol") {
          throw new UnserializableValueError(p, describe(item));
        }
        parts.push(`${pythonJsonString(key, ensureAscii)}: ${write(item, p, key)}`);
      }
      return `{${parts.join(", ")}}`;
    } finally {
      stack.delete(v);
    }
  };

  return write(value, options.rootName ?? "value", undefined);
}
