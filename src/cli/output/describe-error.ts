import {
  APIError,
  AuthenticationError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
} from "../../core/api-errors.js";
import { RunpodError, ValidationError } from "../../core/errors.js";
import { JobError } from "../../core/job-errors.js";
import { CliError } from "../errors.js";

export interface ErrorDescription {
  /** What went wrong. */
  message: string;
  /** What to do about it, when we know. */
  hint?: string;
}

export const API_KEY_HINT =
  "set one with `runpod-ts config`, the RUNPOD_API_KEY environment variable, or --api-key";

/**
 * The one place an error becomes words for a person at a terminal. Ordered from the most specific
 * class to the most general, since subclasses also match their parents.
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof CliError) return withHint(error.message, error.hint);
  if (error instanceof AuthenticationError) {
    return error.status === undefined
      ? { message: "No Runpod API key configured", hint: API_KEY_HINT }
      : {
          message: "Runpod rejected the API key (401 Unauthorized)",
          hint: "check it with `runpod-ts config show` and set a valid one with `runpod-ts config`",
        };
  }
  if (error instanceof PermissionDeniedError) {
    return {
      message: `Permission denied (403): ${error.message}`,
      hint: "the API key may lack the needed scope; create one with read/write access in the Runpod console",
    };
  }
  if (error instanceof NotFoundError)
    return withHint(`Not found (404): ${error.message}`, "check the id");
  if (error instanceof RateLimitError) {
    const wait =
      error.retryAfterMs === undefined ? "a moment" : `${Math.ceil(error.retryAfterMs / 1000)} s`;
    return { message: `Rate limited by Runpod (429)`, hint: `try again in ${wait}` };
  }
  if (error instanceof ConnectionError) {
    return withHint(
      `Could not connect: ${error.message}`,
      "check your network connection and the URL",
    );
  }
  if (error instanceof RequestTimeoutError) {
    return withHint(
      `Request timed out: ${error.message}`,
      "try again; Runpod may be slow right now",
    );
  }
  if (isGraphQLRequestError(error)) return describeGraphQLError(error);
  if (error instanceof APIError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    const id = error.requestId === undefined ? "" : `; request id ${error.requestId}`;
    return { message: `Request failed${status}: ${error.message}${id}` };
  }
  if (error instanceof ValidationError) return { message: error.message };
  if (error instanceof JobError) return { message: error.message };
  if (error instanceof RunpodError) return { message: error.message };
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === "string" && code in FS_HINTS) {
    return withHint(error.message, FS_HINTS[code]);
  }
  if (error instanceof Error) {
    return withHint(`Unexpected error: ${error.message}`, "run again with --verbose for details");
  }
  return withHint(`Unexpected error: ${String(error)}`, "run again with --verbose for details");
}

/**
 * The API client's GraphQLRequestError, recognised by its kind rather than its class: importing
 * the class would put the API module in the CLI's start-up graph.
 */
interface GraphQLFailure extends APIError {
  operationName: string | undefined;
  errors: ReadonlyArray<{ message: string }>;
}

function isGraphQLRequestError(error: unknown): error is GraphQLFailure {
  return (
    error instanceof APIError &&
    error.name === "GraphQLRequestError" &&
    Array.isArray((error as Partial<GraphQLFailure>).errors)
  );
}

/** The server's own words, without the HTTP framing (these come with status 200). */
function describeGraphQLError(error: GraphQLFailure): ErrorDescription {
  const messages = error.errors.map((e) => e.message).join("; ") || "no reason given";
  const what = error.operationName ?? "the request";
  // Runpod reports a key without the needed scope as "Unauthorized" inside errors[].
  if (/unauthori[sz]ed|permission/i.test(messages)) {
    return {
      message: `Runpod refused ${what}: ${messages}`,
      hint: "the API key may be read-only; use one with read/write access (`runpod-ts config`)",
    };
  }
  return { message: `Runpod refused ${what}: ${messages}` };
}

const FS_HINTS: Record<string, string> = {
  EACCES: "check the file's permissions",
  EPERM: "check the file's permissions",
  ENOENT: "check the path",
  ENOSPC: "free some disk space",
};

function withHint(message: string, hint: string | undefined): ErrorDescription {
  return hint === undefined ? { message } : { message, hint };
}

/** The stack and the chain of causes, for `--verbose`. */
export function errorDetails(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
    e = e instanceof Error ? e.cause : undefined;
    if (e !== undefined) parts.push("Caused by:");
  }
  return parts.join("\n");
}
