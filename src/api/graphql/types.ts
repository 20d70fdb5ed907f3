/** The GraphQL operations' own types, exported from `runpod-ts/api` with a `GraphQL` prefix. */
export type {
  ComputeType,
  FlashBootType,
  PodStatus,
  PodType,
} from "../generated/graphql.js";
export type { RequestOptions } from "./client.js";
export type { GraphQLOperations as Client } from "./lazy.js";
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
