import { checkId, checkRequest } from "../rest/request-check.js";
import type { Cluster, CreateClusterRequest, Pod, UpdateClusterRequest } from "../types.js";
import { type CallOptions, Resource } from "./resource.js";

/** `api.clusters`: multi-node clusters of identical GPU pods (`/v2/clusters`). */
export class Clusters extends Resource {
  /** Your clusters. */
  async list(options?: CallOptions): Promise<Cluster[]> {
    const res = await this.t.call(
      "GET /v2/clusters",
      true,
      (c, signal) => c.GET("/v2/clusters", { signal }),
      options,
    );
    return res.clusters;
  }

  /** One cluster, with a summary of its pods. @throws NotFoundError when there is none. */
  async get(id: string, options?: CallOptions): Promise<Cluster> {
    const clusterId = checkId(id, "id", "clusters.get() input");
    return this.t.call(
      "GET /v2/clusters/{id}",
      true,
      (c, signal) => c.GET("/v2/clusters/{id}", { params: { path: { id: clusterId } }, signal }),
      options,
    );
  }

  /** Creates a cluster of `compute.podCount` pods. Never repeated after it may have been sent. */
  async create(input: CreateClusterRequest, options?: CallOptions): Promise<Cluster> {
    const body = checkRequest("CreateClusterRequest", input, "clusters.create() input");
    return this.t.call(
      "POST /v2/clusters",
      false,
      (c, signal) => c.POST("/v2/clusters", { body, signal }),
      options,
    );
  }

  /** Renames a cluster (the only change the API allows). */
  async update(id: string, patch: UpdateClusterRequest, options?: CallOptions): Promise<Cluster> {
    const clusterId = checkId(id, "id", "clusters.update() input");
    const body = checkRequest("UpdateClusterRequest", patch, "clusters.update() input");
    return this.t.call(
      "PATCH /v2/clusters/{id}",
      true,
      (c, signal) =>
        c.PATCH("/v2/clusters/{id}", { params: { path: { id: clusterId } }, body, signal }),
      options,
    );
  }

  /** Deletes a cluster and all its pods. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    const clusterId = checkId(id, "id", "clusters.delete() input");
    await this.t.call(
      "DELETE /v2/clusters/{id}",
      true,
      (c, signal) => c.DELETE("/v2/clusters/{id}", { params: { path: { id: clusterId } }, signal }),
      options,
    );
  }

  /** The cluster's member pods in full. */
  async pods(id: string, options?: CallOptions): Promise<Pod[]> {
    const clusterId = checkId(id, "id", "clusters.pods() input");
    const res = await this.t.call(
      "GET /v2/clusters/{id}/pods",
      true,
      (c, signal) =>
        c.GET("/v2/clusters/{id}/pods", { params: { path: { id: clusterId } }, signal }),
      options,
    );
    return res.pods;
  }
}
