import { checkId } from "../rest/request-check.js";
import type { CpuType, DataCenter, GpuType, Template } from "../types.js";
import { type CallOptions, checkQuery, type QueryOf, Resource } from "./resource.js";

export type GpuQuery = QueryOf<"listGpuTypes">;
export type CpuQuery = QueryOf<"listCpuTypes">;
export type DataCenterQuery = QueryOf<"listDataCenters">;
export type DataCenterDetailQuery = QueryOf<"getDataCenter">;
export type PublicTemplateQuery = QueryOf<"listPublicTemplates">;

/**
 * `api.catalog`: what can be deployed, at which price and where (`/v2/catalog`). Stock levels
 * with `include: ["AVAILABILITY"]` and a `product`.
 */
export class Catalog extends Resource {
  /** GPU types with prices; with `include: ["AVAILABILITY"], product: ["POD"]`, current stock. */
  async gpus(query: GpuQuery = {}, options?: CallOptions): Promise<GpuType[]> {
    const q = checkQuery("listGpuTypes", query, "catalog.gpus() query");
    const res = await this.t.call(
      "GET /v2/catalog/gpus",
      true,
      (c, signal) => c.GET("/v2/catalog/gpus", { params: { query: q }, signal }),
      options,
    );
    return res.gpus;
  }

  /** One GPU type, by id such as `NVIDIA GeForce RTX 4090`. @throws NotFoundError */
  async gpu(id: string, query: GpuQuery = {}, options?: CallOptions): Promise<GpuType> {
    const gpuId = checkId(id, "id", "catalog.gpu() input");
    const q = checkQuery("getGpuType", query, "catalog.gpu() query");
    return this.t.call(
      "GET /v2/catalog/gpus/{id}",
      true,
      (c, signal) =>
        c.GET("/v2/catalog/gpus/{id}", { params: { path: { id: gpuId }, query: q }, signal }),
      options,
    );
  }

  /** CPU flavors with prices per vCPU. */
  async cpus(query: CpuQuery = {}, options?: CallOptions): Promise<CpuType[]> {
    const q = checkQuery("listCpuTypes", query, "catalog.cpus() query");
    const res = await this.t.call(
      "GET /v2/catalog/cpus",
      true,
      (c, signal) => c.GET("/v2/catalog/cpus", { params: { query: q }, signal }),
      options,
    );
    return res.cpus;
  }

  /** One CPU flavor, such as `cpu5c`. @throws NotFoundError */
  async cpu(id: string, query: CpuQuery = {}, options?: CallOptions): Promise<CpuType> {
    const cpuId = checkId(id, "id", "catalog.cpu() input");
    const q = checkQuery("getCpuType", query, "catalog.cpu() query");
    return this.t.call(
      "GET /v2/catalog/cpus/{id}",
      true,
      (c, signal) =>
        c.GET("/v2/catalog/cpus/{id}", { params: { path: { id: cpuId }, query: q }, signal }),
      options,
    );
  }

  /** Data centers, filtered by `regions`, `compliance`, ...; stock with `include`. */
  async datacenters(query: DataCenterQuery = {}, options?: CallOptions): Promise<DataCenter[]> {
    const q = checkQuery("listDataCenters", query, "catalog.datacenters() query");
    const res = await this.t.call(
      "GET /v2/catalog/datacenters",
      true,
      (c, signal) => c.GET("/v2/catalog/datacenters", { params: { query: q }, signal }),
      options,
    );
    return res.dataCenters;
  }

  /** One data center, such as `EU-RO-1`. @throws NotFoundError */
  async datacenter(
    id: string,
    query: DataCenterDetailQuery = {},
    options?: CallOptions,
  ): Promise<DataCenter> {
    const dcId = checkId(id, "id", "catalog.datacenter() input");
    const q = checkQuery("getDataCenter", query, "catalog.datacenter() query");
    return this.t.call(
      "GET /v2/catalog/datacenters/{id}",
      true,
      (c, signal) =>
        c.GET("/v2/catalog/datacenters/{id}", {
          params: { path: { id: dcId }, query: q },
          signal,
        }),
      options,
    );
  }

  /** Public templates: `official` (default), `verified` or `community`; at most 100. */
  async templates(query: PublicTemplateQuery = {}, options?: CallOptions): Promise<Template[]> {
    const q = checkQuery("listPublicTemplates", query, "catalog.templates() query");
    const res = await this.t.call(
      "GET /v2/catalog/templates",
      true,
      (c, signal) => c.GET("/v2/catalog/templates", { params: { query: q }, signal }),
      options,
    );
    return res.templates;
  }
}
