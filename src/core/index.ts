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
  type ProblemDetails,
  RateLimitError,
  RequestTimeoutError,
} from "./api-errors.js";
export { RunpodError, ValidationError, type ValidationIssue } from "./errors.js";
export {
  JobCancelledError,
  JobError,
  JobFailedError,
  JobTimedOutError,
  WaitTimeoutError,
  type WorkerErrorDetails,
} from "./job-errors.js";
export {
  type AffinityErrorInit,
  AffinityWorkerGoneError,
  NoWorkersAvailableError,
  WorkerTimeoutError,
} from "./load-balancer-errors.js";
export { type Logger, type LogLevel, levelLogger, silentLogger } from "./logger.js";
export { VERSION } from "./version.js";
