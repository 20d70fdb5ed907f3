/**
 * `runpod-ts`: everything in one import. Each mode also has its own subpath (`runpod-ts/serverless`,
 * `runpod-ts/endpoint`, `runpod-ts/api`) so an app loads only what it uses.
 */

// The cloud API. Its `Endpoint` record type is `CloudEndpoint` here, because `Endpoint` at the root
// is the endpoint client; `runpod-ts/api` exports it as `Endpoint`.
export {
  type CloudType,
  type CreateEndpointInput,
  type CreatePodInput,
  type Endpoint as CloudEndpoint,
  type GraphQLErrorEntry,
  GraphQLRequestError,
  type Pod,
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
  JobCancelledError,
  JobError,
  JobFailedError,
  JobTimedOutError,
  JobTimeoutError,
  type Logger,
  type LogLevel,
  levelLogger,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  RunpodError,
  silentLogger,
  userAgent,
  ValidationError,
  type ValidationIssue,
  VERSION,
  type WorkerErrorDetails,
} from "./core/index.js";
// The endpoint client. Its job class is `EndpointJob` here because `Job` at the root is the job a
// worker's handler receives; `runpod-ts/endpoint` exports it as `Job`.
export {
  Endpoint,
  type EndpointOptions,
  type FetchLike,
  Job as EndpointJob,
  JobStream,
  type RunCallOptions,
  type RunSyncOptions,
  type SignalOptions,
  type WaitOptions,
} from "./endpoint/index.js";
export {
  type EndpointHealth,
  isTerminal,
  type Job,
  type JobPolicy,
  type JobState,
  type JobStatus,
  type PurgeQueueResponse,
  type RunOptions,
  type S3Config,
  type StreamResponse,
  TERMINAL_STATES,
  type WebhookPayload,
} from "./protocol/index.js";
export {
  type Concurrency,
  type Handler,
  type HandlerInput,
  type HandlerOutput,
  type HandlerResult,
  type JobAbortCause,
  JobAbortedError,
  type JobContext,
  type StandardSchemaV1,
  type StartOptions,
  serverless,
} from "./serverless/index.js";
