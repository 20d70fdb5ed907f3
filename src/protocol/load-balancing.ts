/**
 * The load-balancing endpoint contract (`shared/spec/load-balancing.md`) as constants and pure
 * functions, shared by the LB worker (`serverless.serve`), the local load balancer and the
 * `LoadBalancerEndpoint` client so the three cannot drift apart. No I/O.
 *
 * Where the spec marks a status as unverified, the value here is the one the spec tells a stand-in
 * to pick; the client accepts what the platform documents (the reason string) rather than the status.
 */
import { ValidationError, type ValidationIssue } from "../core/errors.js";

// ---------------------------------------------------------------------------------------------
// §2.1 Worker environment

/** Environment variables the platform sets on an LB worker (§2.1). */
export const LB_ENV = {
  /** Port of the app server; client traffic is forwarded here. */
  port: "PORT",
  /** Port the health path is polled on. */
  healthPort: "PORT_HEALTH",
  /** Path the load balancer polls. */
  healthPath: "HEALTH_CHECK_PATH",
} as const;

/**
 * Not a platform variable: the interface `serverless.serve()` binds when set. The local load
 * balancer sets it to `127.0.0.1` so workers on a developer's machine stay on loopback, while the
 * platform's containers bind `0.0.0.0` as they must (§2.1).
 */
export const LB_HOST_ENV = "RUNPOD_LB_HOST";

export const DEFAULT_LB_PORT = 80;
export const DEFAULT_HEALTH_CHECK_PATH = "/ping";

/** Where an LB worker listens, resolved from its environment. */
export interface LoadBalancerWorkerEnv {
  port: number;
  /** Equal to `port` when app and health share one server. */
  healthPort: number;
  healthPath: string;
}

/**
 * Reads §2.1's variables: `PORT ?? 80`, `PORT_HEALTH ?? PORT ?? 80` (the docs' reading of the
 * contradiction in §9.1), `HEALTH_CHECK_PATH ?? "/ping"`. A blank value means the default, as an
 * empty console field does. Port 0 is accepted (an ephemeral port, for tests). Throws a
 * `ValidationError` naming each bad variable.
 */
export function readLoadBalancerEnv(
  env: Readonly<Record<string, string | undefined>>,
): LoadBalancerWorkerEnv {
  const issues: ValidationIssue[] = [];
  const given = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const port = (name: string, fallback: number): number => {
    const raw = given(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(n >= 0 && n <= 65_535)) {
      issues.push({ path: [name], message: `must be a port number 0-65535, got "${raw}"` });
      return fallback;
    }
    return n;
  };
  const appPort = port(LB_ENV.port, DEFAULT_LB_PORT);
  const healthPort = port(LB_ENV.healthPort, appPort);
  const healthPath = given(LB_ENV.healthPath) ?? DEFAULT_HEALTH_CHECK_PATH;
  if (!isHealthPath(healthPath)) {
    issues.push({
      path: [LB_ENV.healthPath],
      message: `must be a path starting with "/" without query or spaces, got "${healthPath}"`,
    });
  }
  if (issues.length > 0) throw new ValidationError("load-balancer worker environment", issues);
  return { port: appPort, healthPort, healthPath };
}

/** A health path is an absolute path without query, fragment or whitespace. */
export function isHealthPath(path: string): boolean {
  return /^\/[^?#\s]*$/.test(path);
}

// ---------------------------------------------------------------------------------------------
// §2.2 Health

/** Health answers and what the platform makes of them (§2.2). */
export const HEALTH_STATUS = {
  /** In the routing pool. */
  ready: 200,
  /** Starting (init, model load); not routed, counted as starting. */
  initializing: 204,
  /**
   * What our worker answers when unhealthy or draining. Any status other than 200/204 means
   * unhealthy to the platform; 503 says "do not route here" to every proxy too.
   */
  unavailable: 503,
} as const;

export type HealthState = "ready" | "initializing" | "unhealthy";

/** The platform's reading of a health answer; `undefined` (no answer) is unhealthy too. */
export function healthStateOf(status: number | undefined): HealthState {
  if (status === HEALTH_STATUS.ready) return "ready";
  if (status === HEALTH_STATUS.initializing) return "initializing";
  return "unhealthy";
}

/** REST v2 `WorkerStatus` values (§2.4) as an LB worker's health and load map onto them (§10.18). */
export type LoadBalancerWorkerStatus = "INITIALIZING" | "IDLE" | "RUNNING" | "UNHEALTHY";

export function workerStatusOf(health: HealthState, inFlight: number): LoadBalancerWorkerStatus {
  if (health === "initializing") return "INITIALIZING";
  if (health === "unhealthy") return "UNHEALTHY";
  return inFlight > 0 ? "RUNNING" : "IDLE";
}

// ---------------------------------------------------------------------------------------------
// §3 URLs

/** The serverless API host the LB host is derived from (§3). */
export const DEFAULT_SERVERLESS_BASE_URL = "https://api.runpod.ai";

/**
 * `https://{endpointId}.{host of the serverless base URL}` (§3, as flash builds it), no trailing
 * slash; protocol and port of the base URL are kept so a dev override moves both hosts.
 */
export function loadBalancerBaseUrl(
  endpointId: string,
  serverlessBaseUrl: string = DEFAULT_SERVERLESS_BASE_URL,
): string {
  const u = new URL(serverlessBaseUrl);
  return `${u.protocol}//${endpointId}.${u.host}`;
}

/** The health URL REST v2 reports: `base + HEALTH_CHECK_PATH` (§8). */
export function loadBalancerHealthUrl(
  baseUrl: string,
  healthPath: string = DEFAULT_HEALTH_CHECK_PATH,
): string {
  return `${baseUrl.replace(/\/+$/, "")}${healthPath}`;
}

// ---------------------------------------------------------------------------------------------
// §5 Affinity

/** Names the worker that served a response; pinning uses this value (§5.1). */
export const WORKER_ID_HEADER = "X-Runpod-Worker-Id";

/** `soft` prefers the worker; `strict` only it; `strict-resume` also resumes a scaled-down pod (§5.2). */
export const AFFINITY_MODES = ["soft", "strict", "strict-resume"] as const;
export type AffinityMode = (typeof AFFINITY_MODES)[number];

/** A request's pin to one worker. */
export interface WorkerAffinity {
  /** The id from a previous response's `X-Runpod-Worker-Id`. */
  id: string;
  /** @default "soft" */
  affinity?: AffinityMode;
}

/** Worker ids go into a space-separated header value, so they hold no whitespace. */
export function isWorkerId(id: string): boolean {
  return /^[^\s]+$/.test(id);
}

/**
 * The request header value (§5.2): `<id>` (soft), `strict <id>`, `strict-resume <id>` — keyword
 * and id separated by one space. The id must satisfy `isWorkerId` (callers validate it first).
 */
export function formatAffinity(pin: WorkerAffinity): string {
  const mode = pin.affinity ?? "soft";
  return mode === "soft" ? pin.id : `${mode} ${pin.id}`;
}

/**
 * Reads a request header value back (§5.2): absent or blank → `undefined` (normal selection);
 * `strict <id>` / `strict-resume <id>` → that mode; anything else is a soft pin on the whole value.
 */
export function parseAffinity(
  value: string | null | undefined,
): Required<WorkerAffinity> | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const space = v.indexOf(" ");
  if (space > 0) {
    const keyword = v.slice(0, space);
    const id = v.slice(space + 1).trim();
    if ((keyword === "strict" || keyword === "strict-resume") && id !== "") {
      return { id, affinity: keyword };
    }
  }
  return { id: v, affinity: "soft" };
}

// ---------------------------------------------------------------------------------------------
// §3, §4, §5.3, §10 Platform errors

/** Reason strings the platform sends as `{"error": "<reason>"}` (§3, §5.3, §10). */
export const LB_ERROR = {
  /** No routable worker within the request timeout (§3, §4.2). The platform did not run the request. */
  noWorkersAvailable: "no workers available",
  /** strict / strict-resume: the pinned worker is not in the active set (§5.3). */
  affinityWorkerGone: "affinity_worker_gone",
  /** strict / strict-resume: the pinned worker did not free up in time (§5.3). */
  workerTimeout: "worker_timeout",
  /** The same condition as worded in the docs' mode section; accepted as `workerTimeout` (§5.3). */
  workerTimeoutWorded: "timed out waiting for worker",
  /** The LB host of a queue endpoint (§3). */
  notAllowedForQueue: "not allowed for QB API",
} as const;

/** The platform errors a client tells apart. */
export type LoadBalancerErrorCode =
  | "no_workers_available"
  | "affinity_worker_gone"
  | "worker_timeout"
  | "not_allowed_for_queue";

/**
 * Statuses of the platform's own answers. §5.3 documents 404 and 400; the others are unverified in
 * §9.3 and these are the stand-in's choices from §10 (the client classifies by reason, not status).
 */
export const LB_STATUS = {
  noWorkersAvailable: 503,
  affinityWorkerGone: 404,
  workerTimeout: 400,
  notAllowedForQueue: 400,
  unauthorized: 401,
  /** Request body over the payload limit (§10.10). */
  payloadTooLarge: 413,
  /** Response over the payload limit, or a worker that never turned healthy (§2.3, §10.10, §10.15). */
  badGateway: 502,
  /** Processing timeout ran out (§10.9). */
  processingTimeout: 504,
} as const;

const REASON_CODES: Readonly<Record<string, LoadBalancerErrorCode>> = {
  [LB_ERROR.noWorkersAvailable]: "no_workers_available",
  [LB_ERROR.affinityWorkerGone]: "affinity_worker_gone",
  [LB_ERROR.workerTimeout]: "worker_timeout",
  [LB_ERROR.workerTimeoutWorded]: "worker_timeout",
  [LB_ERROR.notAllowedForQueue]: "not_allowed_for_queue",
};

/** The body the platform (and our stand-in) sends with one of its reasons. */
export function loadBalancerErrorBody(reason: string): { error: string } {
  return { error: reason };
}

/**
 * Recognises one of the platform's own errors in a response body: JSON `{"error": reason}` (what
 * the docs print), or the bare reason as text since the format is unverified (§5.3). A worker's own
 * response never matches unless it sends the platform's exact reason. `undefined` otherwise.
 */
export function parseLoadBalancerError(bodyText: string): LoadBalancerErrorCode | undefined {
  const text = bodyText.trim();
  if (text.length > 256) return undefined;
  let reason: unknown = text;
  if (text.startsWith("{")) {
    try {
      reason = (JSON.parse(text) as { error?: unknown }).error;
    } catch {
      return undefined;
    }
  }
  return typeof reason === "string" ? REASON_CODES[reason.trim()] : undefined;
}

// ---------------------------------------------------------------------------------------------
// §4.2, §5.2, §2.3, §6 Limits

/** How long a request waits for a routable worker before `no workers available` (§4.2). */
export const LB_REQUEST_TIMEOUT_MS = 120_000;
/** Longest time one request may run on a worker (§4.2: 5.5 min). */
export const LB_PROCESSING_TIMEOUT_MS = 330_000;
/** Request and response payload limit (§4.2: 30 MB). */
export const LB_PAYLOAD_LIMIT = 30 * 1024 * 1024;
/** How long a strict pin waits for its busy worker before `worker_timeout` (§5.2: ~5 min). */
export const AFFINITY_WAIT_MS = 300_000;
/** A worker never healthy is kept this long, answering 502, then terminated (§2.3: 8 min). */
export const UNHEALTHY_WORKER_GRACE_MS = 480_000;
/** WebSocket open timeout the docs recommend for scale-from-zero (§6: ~60 s). */
export const WEBSOCKET_OPEN_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// §7 Scaling

/** Request-count scaling (§7): `ceil((waiting + inFlight) / requestCount)` workers wanted. */
export function targetWorkerCount(waiting: number, inFlight: number, requestCount: number): number {
  return Math.ceil((waiting + inFlight) / requestCount);
}
