/**
 * The package's one error hierarchy. Every error we throw is a `RunpodError`.
 *
 * `instanceof` must hold even when an app loads both the ESM and the CJS build (or two bundled
 * copies): each instance records the `kind` of every class in its prototype chain under a
 * `Symbol.for` key, and `Symbol.hasInstance` checks that list instead of prototype identity.
 */
const KINDS: unique symbol = Symbol.for("runpod-ts.error.kinds") as never;

type ErrorClass = { readonly kind?: string } & (abstract new (...args: never[]) => unknown);

function kindsOf(ctor: ErrorClass): string[] {
  const kinds: string[] = [];
  for (
    let c: unknown = ctor;
    typeof c === "function" && c !== Error;
    c = Object.getPrototypeOf(c)
  ) {
    if (Object.hasOwn(c, "kind")) kinds.push((c as unknown as { kind: string }).kind);
  }
  return kinds;
}

export class RunpodError extends Error {
  /** Stable identifier of the class; every subclass declares its own. */
  static readonly kind: string = "RunpodError";
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    const ctor = new.target as unknown as ErrorClass;
    Object.defineProperty(this, KINDS, { value: kindsOf(ctor), enumerable: false });
    this.name = (ctor.kind as string | undefined) ?? "RunpodError";
  }

  // `this` is the class `instanceof` was asked about (a subclass, or another copy's class), so the
  // static `this` is the point here, not an accident.
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!Object.hasOwn(this, "kind"))
      return Function.prototype[Symbol.hasInstance].call(this, value);
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes((this as { kind: string }).kind);
  }
}

/** One problem found while validating input or options. */
export interface ValidationIssue {
  /** Where the problem is, e.g. `["policy", "ttl"]`. Empty for the value itself. */
  path: ReadonlyArray<string | number>;
  message: string;
}

/** Bad input or options given to a public function, caught before anything was sent. */
export class ValidationError extends RunpodError {
  static override readonly kind: string = "ValidationError";
  readonly issues: readonly ValidationIssue[];

  constructor(what: string, issues: readonly ValidationIssue[]) {
    super(`Invalid ${what}: ${formatIssues(issues)}`);
    this.issues = issues;
  }
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}
