import { checkId, checkRequest } from "../rest/request-check.js";
import type {
  CreateNetworkVolumeRequest,
  NetworkVolume,
  UpdateNetworkVolumeRequest,
} from "../types.js";
import { type CallOptions, Resource } from "./resource.js";

/** `api.networkVolumes`: persistent storage shared across pods and workers (`/v2/network-volumes`). */
export class NetworkVolumes extends Resource {
  /** Your network volumes. */
  async list(options?: CallOptions): Promise<NetworkVolume[]> {
    const res = await this.t.call(
      "GET /v2/network-volumes",
      true,
      (c, signal) => c.GET("/v2/network-volumes", { signal }),
      options,
    );
    return res.networkVolumes;
  }

  /** One network volume. @throws NotFoundError when there is none. */
  async get(id: string, options?: CallOptions): Promise<NetworkVolume> {
    const volumeId = checkId(id, "id", "networkVolumes.get() input");
    return this.t.call(
      "GET /v2/network-volumes/{id}",
      true,
      (c, signal) =>
        c.GET("/v2/network-volumes/{id}", { params: { path: { id: volumeId } }, signal }),
      options,
    );
  }

  /** Creates a (billable) volume of `size` GB in `dataCenter`. Never repeated after it may have been sent. */
  async create(input: CreateNetworkVolumeRequest, options?: CallOptions): Promise<NetworkVolume> {
    const body = checkRequest("CreateNetworkVolumeRequest", input, "networkVolumes.create() input");
    return this.t.call(
      "POST /v2/network-volumes",
      false,
      (c, signal) => c.POST("/v2/network-volumes", { body, signal }),
      options,
    );
  }

  /** Renames or grows a volume (it never shrinks). */
  async update(
    id: string,
    patch: UpdateNetworkVolumeRequest,
    options?: CallOptions,
  ): Promise<NetworkVolume> {
    const volumeId = checkId(id, "id", "networkVolumes.update() input");
    const body = checkRequest("UpdateNetworkVolumeRequest", patch, "networkVolumes.update() input");
    return this.t.call(
      "PATCH /v2/network-volumes/{id}",
      true,
      (c, signal) =>
        c.PATCH("/v2/network-volumes/{id}", { params: { path: { id: volumeId } }, body, signal }),
      options,
    );
  }

  /** Deletes a volume and its data. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    const volumeId = checkId(id, "id", "networkVolumes.delete() input");
    await this.t.call(
      "DELETE /v2/network-volumes/{id}",
      true,
      (c, signal) =>
        c.DELETE("/v2/network-volumes/{id}", { params: { path: { id: volumeId } }, signal }),
      options,
    );
  }
}
