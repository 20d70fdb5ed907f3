/** `runpod-ts/api`: the cloud (GraphQL) API client. */
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
export { type Logger, type LogLevel, levelLogger, silentLogger } from "../core/logger.js";
export { VERSION } from "../core/version.js";
export { type RequestOptions, RunpodApi, type RunpodApiOptions } from "./client.js";
export {
  type GraphQLErrorEntry,
  GraphQLRequestError,
  type GraphQLRequestErrorInit,
} from "./errors.js";
export type {
  ComputeType,
  FlashBootType,
  PodStatus,
  PodType,
} from "./generated/graphql.js";
export type {
  CreateEndpointInput,
  Endpoint,
  EndpointTemplateChange,
  ScalerType,
  UpdateEndpointInput,
} from "./resources/endpoints.js";
export type { CpuType, GpuDetails, GpuSummary } from "./resources/gpus.js";
export type {
  CloudType,
  CreatePodInput,
  CreateSpotPodInput,
  DeployedPod,
  Pod,
  ResumeSpotPodInput,
  StoppedPod,
} from "./resources/pods.js";
export type {
  ContainerRegistryAuth,
  CreateContainerRegistryAuthInput,
  UpdateContainerRegistryAuthInput,
} from "./resources/registry.js";
export type { CreatedSecret, CreateSecretInput, Secret } from "./resources/secrets.js";
export type { CreateTemplateInput, Template } from "./resources/templates.js";
export type { UpdateUserSettingsInput, User, UserSettings } from "./resources/user.js";
export type { CreateNetworkVolumeInput, NetworkVolume } from "./resources/volumes.js";
export type { ExecuteOptions, Variables } from "./transport.js";
