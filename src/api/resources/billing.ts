import type {
  ListBillingResponse,
  ListClusterBillingResponse,
  ListEndpointBillingResponse,
  ListNetworkVolumeBillingResponse,
  ListPodBillingResponse,
  ListServerlessBillingResponse,
} from "../types.js";
import {
  type CallOptions,
  checkQuery,
  type QueryOf,
  Resource,
  type WithDates,
} from "./resource.js";

export type BillingQuery = WithDates<QueryOf<"listBilling">>;
export type PodBillingQuery = WithDates<QueryOf<"listPodBilling">>;
export type ServerlessBillingQuery = WithDates<QueryOf<"listServerlessBilling">>;
export type EndpointBillingQuery = WithDates<QueryOf<"listEndpointBilling">>;
export type NetworkVolumeBillingQuery = WithDates<QueryOf<"listNetworkVolumeBilling">>;
export type ClusterBillingQuery = WithDates<QueryOf<"listClusterBilling">>;

/**
 * `api.billing`: spend history in USD, bucketed by `bucketSize` (`day` by default) over
 * `startTime`..`endTime` (the last 30 days by default) or the last `lastN` buckets. Each call
 * returns the `records` and their `metadata` (totals, counts, the query as the server read it).
 */
export class Billing extends Resource {
  /** Every resource together. */
  async summary(query: BillingQuery = {}, options?: CallOptions): Promise<ListBillingResponse> {
    const q = checkQuery("listBilling", query, "billing.summary() query");
    return this.t.call(
      "GET /v2/billing",
      true,
      (c, signal) => c.GET("/v2/billing", { params: { query: q }, signal }),
      options,
    );
  }

  /** Pods, or one pod with `podId`. */
  async pods(query: PodBillingQuery = {}, options?: CallOptions): Promise<ListPodBillingResponse> {
    const q = checkQuery("listPodBilling", query, "billing.pods() query");
    return this.t.call(
      "GET /v2/billing/pods",
      true,
      (c, signal) => c.GET("/v2/billing/pods", { params: { query: q }, signal }),
      options,
    );
  }

  /** Public Endpoints (Runpod's hosted models), not your serverless endpoints: see `serverless()`. */
  async endpoints(
    query: EndpointBillingQuery = {},
    options?: CallOptions,
  ): Promise<ListEndpointBillingResponse> {
    const q = checkQuery("listEndpointBilling", query, "billing.endpoints() query");
    return this.t.call(
      "GET /v2/billing/endpoints",
      true,
      (c, signal) => c.GET("/v2/billing/endpoints", { params: { query: q }, signal }),
      options,
    );
  }

  /** Your serverless endpoints, or one with `serverlessId`. */
  async serverless(
    query: ServerlessBillingQuery = {},
    options?: CallOptions,
  ): Promise<ListServerlessBillingResponse> {
    const q = checkQuery("listServerlessBilling", query, "billing.serverless() query");
    return this.t.call(
      "GET /v2/billing/serverless",
      true,
      (c, signal) => c.GET("/v2/billing/serverless", { params: { query: q }, signal }),
      options,
    );
  }

  /** Network volumes, or one with `networkVolumeId`. */
  async networkVolumes(
    query: NetworkVolumeBillingQuery = {},
    options?: CallOptions,
  ): Promise<ListNetworkVolumeBillingResponse> {
    const q = checkQuery("listNetworkVolumeBilling", query, "billing.networkVolumes() query");
    return this.t.call(
      "GET /v2/billing/network-volumes",
      true,
      (c, signal) => c.GET("/v2/billing/network-volumes", { params: { query: q }, signal }),
      options,
    );
  }

  /** Clusters, or one with `clusterId`. */
  async clusters(
    query: ClusterBillingQuery = {},
    options?: CallOptions,
  ): Promise<ListClusterBillingResponse> {
    const q = checkQuery("listClusterBilling", query, "billing.clusters() query");
    return this.t.call(
      "GET /v2/billing/clusters",
      true,
      (c, signal) => c.GET("/v2/billing/clusters", { params: { query: q }, signal }),
      options,
    );
  }
}
