import * as z from "zod/mini";
import {
  EXECUTION_TIMEOUT_MAX_MS,
  EXECUTION_TIMEOUT_MIN_MS,
  TTL_MAX_MS,
  TTL_MIN_MS,
  WEBHOOK_PROTOCOL,
} from "./limits.js";

export {
  RUN_BODY_LIMIT,
  RUNSYNC_BODY_LIMIT,
  SYNC_WAIT_DEFAULT_MS,
  SYNC_WAIT_MAX_MS,
  SYNC_WAIT_MIN_MS,
} from "./limits.js";

/** Per-job policy, all in milliseconds (§B.2). */
export const jobPolicySchema = z.strictObject({
  /** Execution limit; platform default 600 000 (10 min), 5 s to 7 days. */
  executionTimeout: z.optional(
    z.int().check(z.gte(EXECUTION_TIMEOUT_MIN_MS), z.lte(EXECUTION_TIMEOUT_MAX_MS)),
  ),
  /** Do not trigger worker scaling for this job. */
  lowPriority: z.optional(z.boolean()),
  /** Total lifespan from submission; platform default 86 400 000 (24 h), 10 s to 7 days. */
  ttl: z.optional(z.int().check(z.gte(TTL_MIN_MS), z.lte(TTL_MAX_MS))),
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
  webhook: z.optional(z.url({ protocol: WEBHOOK_PROTOCOL })),
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
