/** `runpod-ts/serverless`: the worker runtime. */
import { currentJob } from "./context.js";
import { registerFitnessCheck } from "./fitness.js";
import { start } from "./start.js";

export * from "../core/index.js";
export type { Job } from "../protocol/index.js";
export { type JobAbortCause, JobAbortedError } from "./job-aborted-error.js";
export type {
  Concurrency,
  Handler,
  HandlerInput,
  HandlerOutput,
  HandlerResult,
  JobContext,
  StandardSchemaV1,
  StartOptions,
} from "./types.js";

/** The worker runtime: `serverless.start({ handler })`. */
export const serverless = {
  /** Starts the worker (production, `--test_input`, or `--rp_serve_api`, chosen as in §A.0). */
  start,
  /** Registers a check (sync or async) that must pass before a production worker takes jobs. */
  registerFitnessCheck,
  /** The running job's context, from anywhere in its handler's async call tree. */
  currentJob,
} as const;
