import * as z from "zod/mini";

/** Per-job policy, all in milliseconds (§B.2). */
export const jobPolicySchema = z.strictObject({
  /** Execution limit; platform default 600 000 (10 min), 5 s to 7 days. */
  executionTimeout: z.optional(z.int().check(z.gte(5_000), z.lte(604_800_000))),
  /** Do not trigger worker scaling for this job. */
  lowPriority: z.optional(z.boolean()),
  /** Total lifespan from submission; platform default 86 400 000 (24 h), 10 s to 7 days. */
  ttl: z.optional(z.int().check(z.gte(10_000), z.lte(604_800_000))),
});

/** Passed through to the worker for its own uploads. */
export const s3ConfigSchema = z.looseObject({
  accessId: z.string(),
  accessSecret: z.string(),
  bucketName: z.string(),
  endpointUrl: z.string(),
  objectPath: z.optional(z.string()),
});

/** Options of a submission besides its input. */
export const runOptionsSchema = z.object({
  webhook: z.optional(z.url({ protocol: /^https?$/ })),
  policy: z.optional(jobPolicySchema),
  s3Config: z.optional(s3ConfigSchema),
});

/** The body of `/run` and `/runsync`. `input` is required and handler-specific. */
export const runRequestSchema = z.extend(runOptionsSchema, {
  input: z.unknown().check(z.refine((v) => v !== undefined, "input is required")),
});

export type JobPolicy = z.infer<typeof jobPolicySchema>;
export type S3Config = z.infer<typeof s3ConfigSchema>;
export type RunOptions = z.infer<typeof runOptionsSchema>;
export interface RunRequest<Input = unknown> extends RunOptions {
  input: Input;
}

/** Payload limits of the public API (§B.6), in bytes. */
export const RUN_BODY_LIMIT = 10 * 1024 * 1024;
export const RUNSYNC_BODY_LIMIT = 20 * 1024 * 1024;
/** `/runsync` and `status-sync` wait bounds (§B.6), in ms. */
export const SYNC_WAIT_DEFAULT_MS = 90_000;
export const SYNC_WAIT_MIN_MS = 1_000;
export const SYNC_WAIT_MAX_MS = 300_000;
