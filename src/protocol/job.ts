import type { S3Config } from "./run-request.js";

/**
 * A job as the platform hands it to a worker through job-take (§A.3): `id` and `input` are always
 * present; every other field is passed to the handler untouched.
 */
export interface Job<Input = unknown> {
  id: string;
  input: Input;
  webhook?: string;
  batchId?: string;
  /** Storage credentials a caller sent with `/run`, for the worker's own uploads (§B.2). Secret. */
  s3Config?: S3Config;
  [key: string]: unknown;
}

/** `{"jobsToStop": [...]}` from the job-stop long poll (§A.8). */
export interface JobStopResponse {
  jobsToStop: string[];
}
