import { APIError, type APIErrorInit } from "../../core/api-errors.js";

/** One entry of a GraphQL response's `errors[]`, as the server sent it. */
export interface GraphQLErrorEntry {
  message: string;
  /** Where in the result the error happened, e.g. `["myself", "pods", 0]`. */
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  /** Server-specific details (error codes and the like). */
  extensions?: Readonly<Record<string, unknown>>;
}

export interface GraphQLRequestErrorInit extends APIErrorInit {
  /** The operation's name, e.g. `MyPods`; `undefined` for an anonymous document. */
  operationName: string | undefined;
  errors: readonly GraphQLErrorEntry[];
  /** Whatever partial `data` came alongside the errors. */
  data?: unknown;
}

/**
 * The server answered with GraphQL `errors[]`: a validation failure, a permission problem
 * (Runpod reports a read-only key as `Unauthorized` here, with HTTP 200), or a server-side failure.
 * Carries every entry, not only the first as the Python SDK does.
 */
export class GraphQLRequestError extends APIError {
  static override readonly kind: string = "GraphQLRequestError";
  readonly operationName: string | undefined;
  readonly errors: readonly GraphQLErrorEntry[];
  readonly data: unknown;

  constructor(init: GraphQLRequestErrorInit) {
    const what = init.operationName ? `GraphQL operation ${init.operationName}` : "GraphQL request";
    const messages = init.errors.map((e) => e.message).join("; ");
    super(`${what} failed: ${messages || "the server reported an error without a message"}`, init);
    this.operationName = init.operationName;
    this.errors = init.errors;
    this.data = init.data;
  }
}

/** Reads `errors[]` defensively: the server, not our types, decides what it contains. */
export function toErrorEntries(errors: unknown): GraphQLErrorEntry[] {
  const list = Array.isArray(errors) ? errors : errors === undefined ? [] : [errors];
  return list.map((raw): GraphQLErrorEntry => {
    const e = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const entry: GraphQLErrorEntry = {
      message: typeof e.message === "string" ? e.message : JSON.stringify(raw),
    };
    if (Array.isArray(e.path)) entry.path = e.path as Array<string | number>;
    if (Array.isArray(e.locations)) entry.locations = e.locations as GraphQLErrorEntry["locations"];
    if (typeof e.extensions === "object" && e.extensions !== null)
      entry.extensions = e.extensions as Record<string, unknown>;
    return entry;
  });
}
