import * as z from "zod/mini";
import type { Logger } from "../core/logger.js";
import { validate } from "../core/validate.js";
import { BATCH_LIMITS } from "../protocol/batch.js";
import { loadBalancerOptionsSchema } from "./load-balancer/options.js";

const ms = (min = 0) => z.int().check(z.gte(min));

/**
 * Options of `createLocalPlatform`, one definition each with its default. Durations are in
 * milliseconds so tests can shrink them.
 */
const fieldsSchema = z.strictObject({
  /** TCP port; `0` picks a free one. Default `8000`. */
  port: z._default(z.int().check(z.gte(0), z.lte(65_535)), 8000),
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host: z._default(z.string().check(z.minLength(1)), "127.0.0.1"),
  /**
   * The endpoint id of `/v2/{endpointId}/…`. Default `local`. Not `serverless`: that path is the
   * REST v2 view's.
   */
  endpointId: z._default(
    z.string().check(
      z.regex(/^[A-Za-z0-9_-]+$/),
      z.refine((id) => id !== "serverless", "serverless is the REST v2 path, not an endpoint id"),
    ),
    "local",
  ),
  /** When set, every request needs `Authorization: Bearer KEY` or the raw key. Default: open. */
  apiKey: z.optional(z.string().check(z.minLength(1))),
  /** How long job-take and job-stop hold before answering 204. Default 30 000. */
  longPollMs: z._default(ms(1), 30_000),
  /** How long `/stream` waits for a chunk or a state change when it has nothing new. Default 1 000. */
  streamWaitMs: z._default(ms(0), 1_000),
  /** `/runsync` and `/status-sync` hold when the request has no `wait`. Default 90 000. */
  syncWaitMs: z._default(ms(1), 90_000),
  /**
   * How long a request to `/openai/…` waits for its job's answer (non-streaming) or first chunk
   * (streaming) before answering 504; the job keeps running. Default 90 000, as `/runsync`.
   */
  openaiWaitMs: z._default(ms(1), 90_000),
  /** How long a final `/run` job stays readable. Default 1 800 000 (30 min). */
  runRetentionMs: z._default(ms(1), 1_800_000),
  /** How long a final `/runsync` job stays readable. Default 60 000 (1 min). */
  syncRetentionMs: z._default(ms(1), 60_000),
  /**
   * Final jobs kept readable at most, over `/run` and `/runsync`: past it the job that ended
   * first is deleted (then 404) before its retention is over, so a client looping on `/runsync`
   * keeps the platform's memory flat. Default 2 000.
   */
  maxFinishedJobs: z._default(z.int().check(z.gte(1)), 2_000),
  /** Execution timeout for jobs without `policy.executionTimeout`. Default 600 000 (10 min). */
  executionTimeoutMs: z._default(ms(1), 600_000),
  /** TTL for jobs without `policy.ttl`, counted from submission. Default 86 400 000 (24 h). */
  ttlMs: z._default(ms(1), 86_400_000),
  /** Webhook deliveries per job, first one included. Default 3. */
  webhookAttempts: z._default(z.int().check(z.gte(1), z.lte(20)), 3),
  /**
   * The ceiling of the first retry's delay between webhook attempts; it doubles per retry up to
   * 60 s, the delay is drawn below it (full jitter), and a receiver's `Retry-After` is the least
   * waited. Default 2 000.
   */
  webhookRetryDelayMs: z._default(ms(0), 10_000),
  /** Timeout of one webhook request. Default 2 000. */
  webhookTimeoutMs: z._default(ms(1), 10_000),
  /**
   * Batches per endpoint that are not over yet (DRAFT, or FINALIZED with requests left); creating
   * one more answers 409. Default 10, production's limit.
   */
  maxActiveBatches: z._default(z.int().check(z.gte(1)), BATCH_LIMITS.activeBatches),
  /** Requests one batch may hold; more answers 400. Default 5 000, production's limit. */
  maxBatchRequests: z._default(z.int().check(z.gte(1)), BATCH_LIMITS.requestsPerBatch),
  /** Batch requests queued at once; a finalize past it answers 409. Default 50 000. */
  maxQueuedBatchRequests: z._default(z.int().check(z.gte(1)), BATCH_LIMITS.queuedRequests),
  /** How long a batch that is over (every request finished, or cancelled) stays readable. Default 86 400 000 (24 h). */
  batchRetentionMs: z._default(ms(1), 86_400_000),
  /**
   * Interactive jobs (`/run`, `/runsync`) go to workers before batch jobs, but after this many in
   * a row passed waiting batch jobs by, one batch job goes, so neither starves. Default 4.
   */
  interactiveBurst: z._default(z.int().check(z.gte(1)), 4),
  /**
   * On a bind that is not loopback and without `apiKey`, anyone on the network can submit jobs, so
   * webhooks to loopback, private and link-local addresses are refused (the platform would
   * otherwise POST into your own network for them). `true` lets them through. Default `false`.
   */
  allowPrivateWebhooks: z._default(z.boolean(), false),
  /** A worker not heard from for this long is forgotten by `/health`. Default 60 000. */
  workerStaleMs: z._default(ms(1), 60_000),
  /**
   * Serve the dashboard at `/` (its data under `/_dashboard/api/`, behind `apiKey` when set). It
   * is on the platform's own server, so it is reachable exactly where the API is. The CLI's
   * `--no-dashboard` sets this to false. Default `true`.
   */
  dashboard: z._default(z.boolean(), true),
  /**
   * A local load-balancing endpoint (spec `load-balancing.md` §10) on a port of its own, in front
   * of worker processes started from `command`: `{ command: ["node", "worker.mjs"], workers:
   * { min, max } }`. Its URL is the platform's `loadBalancerUrl`. Default: none.
   */
  loadBalancer: z.optional(loadBalancerOptionsSchema),
  /** Where the platform logs webhook failures and internal errors. Default: silent. */
  logger: z.optional(z.custom<Logger>(isLogger, "expected a Logger (debug, info, warn, error)")),
});

const optionsSchema = fieldsSchema.check(
  // Hosts are case-insensitive, so `<id>.localhost` could not tell the two apart.
  z.refine((o) => o.loadBalancer?.endpointId.toLowerCase() !== o.endpointId.toLowerCase(), {
    message: "must differ from endpointId",
    path: ["loadBalancer", "endpointId"],
  }),
);

function isLogger(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const l = v as Record<string, unknown>;
  return ["debug", "info", "warn", "error"].every((m) => typeof l[m] === "function");
}

/** What callers may pass; every field is optional. */
export type LocalPlatformOptions = z.input<typeof optionsSchema>;
/** Options after defaults. */
export type ResolvedOptions = z.output<typeof optionsSchema>;

export function resolveOptions(options: unknown): ResolvedOptions {
  return validate(optionsSchema, options ?? {}, "createLocalPlatform options");
}
