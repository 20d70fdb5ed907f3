/**
 * Every setting of the worker in one place: `start()` options (checked by the rules of
 * `core/checks.ts`, errors naming the option) and the environment the platform provides (§A.1),
 * read from an explicit record so a worker can run against any platform in-process (the local
 * platform does this over loopback).
 */
import {
  boolean,
  byType,
  custom,
  func,
  integer,
  object,
  positiveInteger,
  validated,
} from "../core/checks.js";
import { ValidationError } from "../core/errors.js";
import { workerUrl } from "../protocol/urls.js";
import type { Concurrency, Handler, StandardSchemaV1, StartOptions } from "./types.js";

export type Env = Readonly<Record<string, string | undefined>>;

function isStandardSchema(v: unknown): v is StandardSchemaV1 {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { "~standard"?: { validate?: unknown } })["~standard"]?.validate === "function"
  );
}

/*
 * Checked by hand, not with zod: importing zod/mini alone takes ~11 MB of RSS and ~70 ms, and on
 * Runpod a worker's cold start is time the user is billed for. The rules word their errors as
 * `core/validate.ts` words zod's issues.
 */
const startOptions = object(
  {
    handler: func,
    concurrency: byType(
      { number: positiveInteger, function: func },
      "must be a positive integer or a function returning one",
    ),
    returnAggregateStream: boolean,
    refreshWorker: boolean,
    inputSchema: custom(
      isStandardSchema,
      "must be a zod schema or a Standard Schema (an object with `~standard.validate`)",
    ),
    timeoutMs: positiveInteger,
    shutdownGraceMs: integer(0),
    resultRetryWindowMs: integer(0),
  },
  // Not `loose`: a misspelt option (`concurency`) is reported, not silently dropped.
  { required: ["handler"] },
);

/** `start()` options with defaults applied. */
export interface WorkerOptions {
  handler: Handler;
  concurrency: Concurrency;
  returnAggregateStream: boolean;
  refreshWorker: boolean;
  inputSchema: StandardSchemaV1 | undefined;
  timeoutMs: number | undefined;
  shutdownGraceMs: number | undefined;
  resultRetryWindowMs: number;
}

const DEFAULT_RESULT_RETRY_WINDOW_MS = 15 * 60_000;

/** Validates `start()` options; throws `ValidationError` naming each bad option. */
export function resolveOptions(options: unknown, env: Env): WorkerOptions {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError("serverless.start() options", [
      { path: [], message: "expected an object like { handler }" },
    ]);
  }
  const o = validated<StartOptions>(startOptions, options, "serverless.start() options");
  // Blank counts as unset (as RUNPOD_PING_INTERVAL): Number(" ") is 0, which would turn off retries.
  const windowEnv = env.RUNPOD_RESULT_RETRY_WINDOW_MS?.trim();
  const window =
    o.resultRetryWindowMs ??
    (windowEnv
      ? validated<number>(integer(0), Number(windowEnv), "RUNPOD_RESULT_RETRY_WINDOW_MS")
      : DEFAULT_RESULT_RETRY_WINDOW_MS);
  return {
    handler: o.handler,
    concurrency: o.concurrency ?? 1,
    returnAggregateStream: o.returnAggregateStream ?? false,
    refreshWorker: o.refreshWorker ?? false,
    inputSchema: o.inputSchema,
    timeoutMs: o.timeoutMs,
    shutdownGraceMs: o.shutdownGraceMs,
    resultRetryWindowMs: window,
  };
}

/** The platform's view of this worker (§A.1), with the Python defaults. */
export interface WorkerEnv {
  /** `RUNPOD_WEBHOOK_GET_JOB` with placeholders substituted; `undefined` outside production. */
  takeUrl: string | undefined;
  /** `RUNPOD_WEBHOOK_POST_OUTPUT` template (`$ID` still in it). */
  doneTemplate: string;
  /** `RUNPOD_WEBHOOK_POST_STREAM` template. */
  streamTemplate: string;
  /** `RUNPOD_WEBHOOK_PING` template, or `undefined` when unset / `PING_NOT_SET`. */
  pingTemplate: string | undefined;
  /** `RUNPOD_POD_ID`, or a random UUID (used in URLs). */
  workerId: string;
  /** `RUNPOD_POD_ID` or `"unknown"` (reported in error strings). */
  reportedWorkerId: string;
  hostname: string;
  apiKey: string;
  endpointId: string | undefined;
  /** Heartbeat period in ms; see `pingIntervalMs()`. */
  pingIntervalMs: number;
  /** `RUNPOD_LOG_LEVEL`, then `RUNPOD_DEBUG_LEVEL`. */
  logLevel: string | undefined;
}

/**
 * `RUNPOD_PING_INTERVAL` in ms. Python floors it to whole seconds (so < 1000 means "no sleep");
 * we keep the whole-second flooring at 1000 and above, and honour values below 1000 as
 * milliseconds (useful for tests) instead of spinning.
 */
export function pingIntervalMs(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 10_000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ValidationError("RUNPOD_PING_INTERVAL", [
      { path: [], message: `expected a positive number of milliseconds, got "${raw}"` },
    ]);
  }
  return n >= 1000 ? Math.floor(n / 1000) * 1000 : Math.ceil(n);
}

export function readWorkerEnv(env: Env): WorkerEnv {
  const podId = env.RUNPOD_POD_ID;
  // The Web Crypto global, not node:crypto: on the platform RUNPOD_POD_ID is always set, and
  // importing node:crypto up front would load it (and node:stream) into every worker for nothing.
  const workerId = podId || globalThis.crypto.randomUUID();
  const take = env.RUNPOD_WEBHOOK_GET_JOB;
  const ping = env.RUNPOD_WEBHOOK_PING;
  return {
    takeUrl: take ? workerUrl(take, workerId) : undefined,
    doneTemplate: env.RUNPOD_WEBHOOK_POST_OUTPUT || "JOB_DONE_URL",
    streamTemplate: env.RUNPOD_WEBHOOK_POST_STREAM || "JOB_STREAM_URL",
    pingTemplate: ping && ping !== "PING_NOT_SET" ? ping : undefined,
    workerId,
    reportedWorkerId: podId || "unknown",
    hostname: env.RUNPOD_POD_HOSTNAME || "unknown",
    apiKey: env.RUNPOD_AI_API_KEY ?? "",
    endpointId: env.RUNPOD_ENDPOINT_ID || undefined,
    pingIntervalMs: pingIntervalMs(env.RUNPOD_PING_INTERVAL),
    logLevel: env.RUNPOD_LOG_LEVEL || env.RUNPOD_DEBUG_LEVEL || undefined,
  };
}
