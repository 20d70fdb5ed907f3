/**
 * `runpod-ts`: everything in one import. Each mode also has its own subpath (`runpod-ts/serverless`,
 * `runpod-ts/endpoint`, `runpod-ts/api`, `runpod-ts/local`) so an app loads only what it uses.
 */

// The cloud API. Its `Endpoint` record type is `CloudEndpoint` here, because `Endpoint` at the root
// is the endpoint client; `runpod-ts/api` exports it as `Endpoint`.
export {
  type CreateEndpointRequest,
  type CreatePodRequest,
  type Endpoint as CloudEndpoint,
  type GraphQLErrorEntry,
  GraphQLRequestError,
  type LogLine,
  type Pod,
  type ProblemDetails,
  type RateLimitState,
  RunpodApi,
  type RunpodApiOptions,
  type Template,
} from "./api/index.js";
export {
  AbortError,
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  type ErrorHeaders,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
} from "./core/api-errors.js";
export { RunpodError, ValidationError, type ValidationIssue } from "./core/errors.js";
export {
  JobCancelledError,
  JobError,
  JobFailedError,
  JobTimedOutError,
  WaitTimeoutError,
  type WorkerErrorDetails,
} from "./core/job-errors.js";
export {
  type AffinityErrorInit,
  AffinityWorkerGoneError,
  NoWorkersAvailableError,
  WorkerTimeoutError,
} from "./core/load-balancer-errors.js";
export { type Logger, type LogLevel, levelLogger, silentLogger } from "./core/logger.js";
export { VERSION } from "./core/version.js";
// The endpoint client's Node build (undici): the root is for Node, as it holds the worker.
export {
  type Batches,
  type BatchResultsOptions,
  type BatchWaitOptions,
  Endpoint,
  type EndpointOptions,
  type FetchLike,
  type HandlerEndpoint,
  JobHandle,
  JobStream,
  LoadBalancerEndpoint,
  type LoadBalancerEndpointOptions,
  type LoadBalancerHealth,
  type LoadBalancerRequestInit,
  type RunCallOptions,
  type RunSyncOptions,
  type SignalOptions,
  type WaitOptions,
} from "./endpoint/node.js";
export type {
  AffinityMode,
  BatchCreated,
  BatchRequestResult,
  BatchRequestState,
  BatchState,
  BatchSummary,
  EndpointHealth,
  Job,
  JobPolicy,
  JobState,
  JobStatus,
  PurgeQueueResponse,
  RunOptions,
  S3Config,
  StreamResponse,
  WebhookPayload,
  WorkerAffinity,
} from "./protocol/index.js";
// Values by their own module: the protocol barrel also holds the zod schemas of run requests.
export { isTerminal, TERMINAL_STATES } from "./protocol/job-states.js";
export {
  type FormatWorkerEnvOptions,
  formatWorkerEnv,
} from "./protocol/webhook-env.js";
// `createLocalPlatform` here is the lazy one: Hono loads on its first call, not with this import.
export {
  type Concurrency,
  createLocalPlatform,
  type Handler,
  type HandlerChunk,
  type HandlerInput,
  type HandlerOutput,
  type HandlerResult,
  type JobAbortCause,
  JobAbortedError,
  type JobContext,
  type JobSnapshot,
  type LocalPlatform,
  type LocalPlatformOptions,
  type PlatformEvent,
  type PlatformListener,
  type StandardSchemaV1,
  type StartOptions,
  serverless,
  type WorkerSnapshot,
} from "./serverless/index.js";
