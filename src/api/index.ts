/**
 * `runpod-ts/api`: the cloud API client. Runpod's REST API v2 as resource namespaces, with the
 * record types under the OpenAPI document's own names; the older GraphQL operations behind
 * `api.graphql`, their types prefixed with `GraphQL` (`GraphQLPod`, ...).
 */
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
} from "../core/api-errors.js";
export { RunpodError, ValidationError, type ValidationIssue } from "../core/errors.js";
export { type Logger, type LogLevel, levelLogger, silentLogger } from "../core/logger.js";
export { VERSION } from "../core/version.js";
export { RunpodApi, type RunpodApiOptions } from "./client.js";
export {
  type GraphQLErrorEntry,
  GraphQLRequestError,
  type GraphQLRequestErrorInit,
} from "./graphql/errors.js";
// The GraphQL operations' types, prefixed (`GraphQLPod`, ...): the REST v2 records own the plain names.
export type {
  Client as GraphQLClient,
  CloudType as GraphQLCloudType,
  ComputeType as GraphQLComputeType,
  ContainerRegistryAuth as GraphQLContainerRegistryAuth,
  CpuType as GraphQLCpuType,
  CreateContainerRegistryAuthInput as GraphQLCreateContainerRegistryAuthInput,
  CreatedSecret as GraphQLCreatedSecret,
  CreateEndpointInput as GraphQLCreateEndpointInput,
  CreateNetworkVolumeInput as GraphQLCreateNetworkVolumeInput,
  CreatePodInput as GraphQLCreatePodInput,
  CreateSecretInput as GraphQLCreateSecretInput,
  CreateSpotPodInput as GraphQLCreateSpotPodInput,
  CreateTemplateInput as GraphQLCreateTemplateInput,
  DeployedPod as GraphQLDeployedPod,
  Endpoint as GraphQLEndpoint,
  EndpointTemplateChange as GraphQLEndpointTemplateChange,
  ExecuteOptions as GraphQLExecuteOptions,
  FlashBootType as GraphQLFlashBootType,
  GpuDetails as GraphQLGpuDetails,
  GpuSummary as GraphQLGpuSummary,
  NetworkVolume as GraphQLNetworkVolume,
  Pod as GraphQLPod,
  PodStatus as GraphQLPodStatus,
  PodType as GraphQLPodType,
  RequestOptions as GraphQLRequestOptions,
  ResumeSpotPodInput as GraphQLResumeSpotPodInput,
  ScalerType as GraphQLScalerType,
  Secret as GraphQLSecret,
  StoppedPod as GraphQLStoppedPod,
  Template as GraphQLTemplate,
  UpdateContainerRegistryAuthInput as GraphQLUpdateContainerRegistryAuthInput,
  UpdateEndpointInput as GraphQLUpdateEndpointInput,
  UpdateUserSettingsInput as GraphQLUpdateUserSettingsInput,
  User as GraphQLUser,
  UserSettings as GraphQLUserSettings,
  Variables as GraphQLVariables,
} from "./graphql/types.js";
export type {
  BillingQuery,
  ClusterBillingQuery,
  EndpointBillingQuery,
  NetworkVolumeBillingQuery,
  PodBillingQuery,
  ServerlessBillingQuery,
} from "./resources/billing.js";
export type {
  CpuQuery,
  DataCenterDetailQuery,
  DataCenterQuery,
  GpuQuery,
  PublicTemplateQuery,
} from "./resources/catalog.js";
export type { ListPodsQuery } from "./resources/pods.js";
export type { CallOptions } from "./resources/resource.js";
export type { LogLine, LogOptions } from "./rest/log-stream.js";
export type { RateLimitState, RateLimitWindow } from "./rest/rate-limit.js";
export type * from "./types.js";
