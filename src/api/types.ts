/**
 * The REST v2 schemas under readable names: each is the generated type of the vendored OpenAPI
 * document (`openapi/`), so they follow the document, never a hand-made copy.
 */
import type { components } from "./generated/rest-v2.js";

type Schemas = components["schemas"];

export type Pod = Schemas["Pod"];
export type CreatePodRequest = Schemas["CreatePodRequest"];
export type UpdatePodRequest = Schemas["UpdatePodRequest"];
export type PodStatus = Schemas["PodStatus"];
export type PodAction = Schemas["PodAction"];
export type PodRuntime = Schemas["PodRuntime"];
export type PodSsh = Schemas["PodSsh"];
export type Cloud = Schemas["Cloud"];
export type Mounts = Schemas["Mounts"];
export type Endpoint = Schemas["Endpoint"];
export type CreateEndpointRequest = Schemas["CreateEndpointRequest"];
export type UpdateEndpointRequest = Schemas["UpdateEndpointRequest"];
export type EndpointType = Schemas["EndpointType"];
export type EndpointRequestUrls = Schemas["EndpointRequestUrls"];
export type QueueBasedRequestUrls = Schemas["QueueBasedRequestUrls"];
export type LoadBalancingRequestUrls = Schemas["LoadBalancingRequestUrls"];
export type EndpointScaling = Schemas["EndpointScaling"];
export type EndpointWorkers = Schemas["EndpointWorkers"];
export type FlashBoot = Schemas["FlashBoot"];
export type Worker = Schemas["Worker"];
export type WorkerStatus = Schemas["WorkerStatus"];
export type ListEndpointWorkersResponse = Schemas["ListEndpointWorkersResponse"];
export type ListEndpointReleasesResponse = Schemas["ListEndpointReleasesResponse"];
export type Release = Schemas["Release"];
export type RolloutSummary = Schemas["RolloutSummary"];
export type Template = Schemas["Template"];
export type CreateTemplateRequest = Schemas["CreateTemplateRequest"];
export type UpdateTemplateRequest = Schemas["UpdateTemplateRequest"];
export type TemplateCategory = Schemas["TemplateCategory"];
export type NetworkVolume = Schemas["NetworkVolume"];
export type CreateNetworkVolumeRequest = Schemas["CreateNetworkVolumeRequest"];
export type UpdateNetworkVolumeRequest = Schemas["UpdateNetworkVolumeRequest"];
export type VolumeType = Schemas["VolumeType"];
export type Registry = Schemas["Registry"];
export type CreateRegistryRequest = Schemas["CreateRegistryRequest"];
export type EcrDelegation = Schemas["EcrDelegation"];
export type CreateDelegationRequest = Schemas["CreateDelegationRequest"];
export type Cluster = Schemas["Cluster"];
export type CreateClusterRequest = Schemas["CreateClusterRequest"];
export type UpdateClusterRequest = Schemas["UpdateClusterRequest"];
export type ClusterType = Schemas["ClusterType"];
export type ClusterCompute = Schemas["ClusterCompute"];
export type GpuType = Schemas["GpuType"];
export type CpuType = Schemas["CpuType"];
export type DataCenter = Schemas["DataCenter"];
export type AvailabilityLevel = Schemas["AvailabilityLevel"];
export type ListBillingResponse = Schemas["ListBillingResponse"];
export type ListPodBillingResponse = Schemas["ListPodBillingResponse"];
export type ListServerlessBillingResponse = Schemas["ListServerlessBillingResponse"];
export type ListEndpointBillingResponse = Schemas["ListEndpointBillingResponse"];
export type ListNetworkVolumeBillingResponse = Schemas["ListNetworkVolumeBillingResponse"];
export type ListClusterBillingResponse = Schemas["ListClusterBillingResponse"];
export type BillingBucketSize = Schemas["BillingBucketSize"];
export type SshKeys = Schemas["SshKeys"];
export type ErrorResponse = Schemas["ErrorResponse"];
