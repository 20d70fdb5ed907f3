/** `runpod-ts/serverless`: the worker runtime and the local platform. */

import type { LocalPlatform, LocalPlatformOptions } from "../local/index.js";
import { currentJob } from "./context.js";
import { registerFitnessCheck } from "./fitness.js";
import { serve } from "./serve.js";
import { start } from "./start.js";

export { RunpodError, ValidationError, type ValidationIssue } from "../core/errors.js";
export { type Logger, type LogLevel, levelLogger, silentLogger } from "../core/logger.js";
export { VERSION } from "../core/version.js";
export type {
  JobSnapshot,
  LocalPlatform,
  LocalPlatformOptions,
  PlatformEvent,
  PlatformListener,
  WorkerSnapshot,
} from "../local/index.js";
export type { Job, S3Config } from "../protocol/index.js";
export type {
  OpenAIErrorBody,
  OpenAIJobInput,
  OpenAIRoute,
} from "../protocol/openai-route.js";
export {
  type FormatWorkerEnvOptions,
  formatWorkerEnv,
} from "../protocol/webhook-env.js";
export { type JobAbortCause, JobAbortedError } from "./job-aborted-error.js";
export { type OpenAIHandler, openaiHandler, openaiProxy } from "./openai/index.js";
export { OpenAIRouteError } from "./openai/route-error.js";
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  Completion,
  CompletionRequest,
  CompletionUsage,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelList,
  OpenAIProxyOptions,
  OpenAIRouteContext,
  OpenAIRouteFunction,
  OpenAIRouteResult,
  OpenAIRoutes,
} from "./openai/types.js";
export type { ServeApp, ServeBindings, ServedApp, ServeOptions } from "./serve-options.js";
export type {
  Concurrency,
  Handler,
  HandlerChunk,
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
  /**
   * Serves any `{ fetch(request) }` app (a Hono app) as a load-balancing worker: `PORT`, the
   * health check, init gating, `maxConcurrency`, SIGTERM drain. Resolves with the Node server.
   */
  serve,
  /** Registers a check (sync or async) that must pass before a production worker takes jobs. */
  registerFitnessCheck,
  /** The running job's context, from anywhere in its handler's async call tree. */
  currentJob,
} as const;

/**
 * Starts the local platform (a queue and job state machine behind the public endpoint API and
 * the worker-facing API). Hono is loaded on this first call, never by a production worker.
 */
export async function createLocalPlatform(options?: LocalPlatformOptions): Promise<LocalPlatform> {
  const local = await import("../local/index.js");
  return local.createLocalPlatform(options);
}
