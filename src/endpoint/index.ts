/** `runpod-ts/endpoint`: the app-side client for serverless endpoints. Universal: fetch only. */
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
} from "../core/api-errors.js";
export { RunpodError, ValidationError, type ValidationIssue } from "../core/errors.js";
export {
  JobCancelledError,
  JobError,
  JobFailedError,
  JobTimedOutError,
  WaitTimeoutError,
  type WorkerErrorDetails,
} from "../core/job-errors.js";
export {
  type AffinityErrorInit,
  AffinityWorkerGoneError,
  NoWorkersAvailableError,
  WorkerTimeoutError,
} from "../core/load-balancer-errors.js";
export { VERSION } from "../core/version.js";
export type {
  BatchCreated,
  BatchRequestResult,
  BatchRequestState,
  BatchState,
  BatchSummary,
} from "../protocol/batch.js";
export type { HandlerChunk, HandlerInput, HandlerOutput } from "../protocol/handler-types.js";
export type {
  AffinityMode,
  EndpointHealth,
  JobPolicy,
  JobState,
  JobStatus,
  PurgeQueueResponse,
  RunOptions,
  S3Config,
  StreamResponse,
  WebhookPayload,
  WorkerAffinity,
} from "../protocol/index.js";
// Values by their own module: the protocol barrel also holds the zod schemas of run requests.
export { isTerminal, TERMINAL_STATES } from "../protocol/job-states.js";
export type { Batches, BatchResultsOptions, BatchWaitOptions } from "./batches.js";
export { Endpoint } from "./endpoint.js";
export type { HandlerEndpoint } from "./handler-endpoint.js";
export { JobHandle } from "./job-handle.js";
export { LoadBalancerEndpoint } from "./load-balancer.js";
export type {
  LoadBalancerEndpointOptions,
  LoadBalancerHealth,
  LoadBalancerRequestInit,
} from "./load-balancer-options.js";
export type {
  EndpointOptions,
  FetchLike,
  RunCallOptions,
  RunSyncOptions,
  SignalOptions,
  WaitOptions,
} from "./options.js";
export { JobStream } from "./stream.js";
