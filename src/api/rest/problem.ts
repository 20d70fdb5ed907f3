import {
  type APIError,
  type ErrorHeaders,
  errorForStatus,
  type ProblemDetails,
} from "../../core/api-errors.js";

/** How much of a body that is not a problem document an error keeps (a WAF's HTML page...). */
const BODY_EXCERPT = 2_000;

/** The body as an RFC 9457 problem document, when it is one. */
export function asProblem(body: unknown): ProblemDetails | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.title !== "string" && typeof b.detail !== "string") return undefined;
  const errors = Array.isArray(b.errors) ? b.errors.map(String) : undefined;
  return {
    title: typeof b.title === "string" ? b.title : "",
    status: typeof b.status === "number" ? b.status : 0,
    detail: typeof b.detail === "string" ? b.detail : "",
    ...(errors ? { errors } : {}),
  };
}

/**
 * The field a validation failure names: `"$.gpu.id: required"` → `gpu.id`,
 * `"$: additional properties 'bogus' not allowed"` → `bogus`; `undefined` when it names none.
 */
export function fieldOf(failure: string): string | undefined {
  const extra = /additional propert(?:y|ies) (.+?) not allowed/.exec(failure);
  if (extra?.[1]) return extra[1].replace(/'/g, "");
  const path = /^\$\.?([\w.[\]-]*)/.exec(failure.trim());
  if (path?.[1]) return path[1];
  const named = /(?:^|\s)(?:property|field) '?([\w.[\]-]+)'?/.exec(failure);
  return named?.[1];
}

/**
 * The one place a REST v2 failure becomes an error: the status picks the class (`errorForStatus`),
 * the problem document's `title`, `detail` and `errors[]` stay on it, and a 422's message names
 * the offending fields.
 */
export function restError(
  what: string,
  status: number,
  headers: ErrorHeaders,
  body: unknown,
): APIError {
  const problem = asProblem(body);
  let message = `The Runpod API answered HTTP ${status} to ${what}`;
  if (problem) {
    message += `: ${problem.title || `HTTP ${status}`}${problem.detail ? ` (${problem.detail})` : ""}`;
    const fields = [...new Set((problem.errors ?? []).map(fieldOf).filter(Boolean))];
    if (status === 422 && fields.length > 0) message += `; invalid fields: ${fields.join(", ")}`;
    if (problem.errors?.length) message += `; ${problem.errors.join("; ")}`;
  }
  if (status === 401) {
    message += " (check your API key: the `apiKey` option, RUNPOD_API_KEY or `runpod-ts config`)";
  }
  return errorForStatus(message, {
    status,
    headers,
    body:
      typeof body === "string" && body.length > BODY_EXCERPT
        ? `${body.slice(0, BODY_EXCERPT)}…`
        : body,
    requestId: headers["x-request-id"] ?? headers["cf-ray"],
    problem,
  });
}
