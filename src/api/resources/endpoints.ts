import { checkLogOptions, followLogs, type LogLine, type LogOptions } from "../rest/log-stream.js";
import { checkId, checkRequest } from "../rest/request-check.js";
import type {
  CreateEndpointRequest,
  Endpoint,
  ListEndpointReleasesResponse,
  ListEndpointWorkersResponse,
  UpdateEndpointRequest,
} from "../types.js";
import { checkCompute } from "./pods.js";
import { type CallOptions, checkQuery, Resource } from "./resource.js";

/** `api.endpoints`: serverless endpoints, queue-based or load-balancing (`/v2/serverless`). */
export class Endpoints extends Resource {
  /** Your serverless endpoints. */
  async list(options?: CallOptions): Promise<Endpoint[]> {
    const res = await this.t.call(
      "GET /v2/serverless",
      true,
      (c, signal) => c.GET("/v2/serverless", { signal }),
      options,
    );
    return res.endpoints;
  }

  /** One endpoint, with its `requestUrls`. @throws NotFoundError when there is none. */
  async get(id: string, options?: CallOptions): Promise<Endpoint> {
    const endpointId = checkId(id, "id", "endpoints.get() input");
    return this.t.call(
      "GET /v2/serverless/{id}",
      true,
      (c, signal) => c.GET("/v2/serverless/{id}", { params: { path: { id: endpointId } }, signal }),
      options,
    );
  }

  /**
   * Creates an endpoint: `type` `QUEUE` (jobs through the queue) or `LOAD_BALANCER` (HTTP straight
   * to workers; its `requestUrls.base` is the URL to call), `scaling`, and exactly one of `gpu`
   * and `cpu`. Never repeated after it may have reached the server.
   */
  async create(input: CreateEndpointRequest, options?: CallOptions): Promise<Endpoint> {
    const body = checkRequest("CreateEndpointRequest", input, "endpoints.create() input");
    checkCompute(body, "endpoints.create() input");
    return this.t.call(
      "POST /v2/serverless",
      false,
      (c, signal) => c.POST("/v2/serverless", { body, signal }),
      options,
    );
  }

  /**
   * Changes the given fields only. Container changes (`image`, `env`, ...) roll out as a new
   * release (see `releases()`); `env` replaces the whole map.
   */
  async update(id: string, patch: UpdateEndpointRequest, options?: CallOptions): Promise<Endpoint> {
    const endpointId = checkId(id, "id", "endpoints.update() input");
    const body = checkRequest("UpdateEndpointRequest", patch, "endpoints.update() input");
    return this.t.call(
      "PATCH /v2/serverless/{id}",
      true,
      (c, signal) =>
        c.PATCH("/v2/serverless/{id}", { params: { path: { id: endpointId } }, body, signal }),
      options,
    );
  }

  /** Deletes an endpoint and its bound template; its workers stop and its jobs are cancelled. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    const endpointId = checkId(id, "id", "endpoints.delete() input");
    await this.t.call(
      "DELETE /v2/serverless/{id}",
      true,
      (c, signal) =>
        c.DELETE("/v2/serverless/{id}", { params: { path: { id: endpointId } }, signal }),
      options,
    );
  }

  /** The active workers (`workers`), a count per status (`summary`) and the `endpointVersion`. */
  async workers(id: string, options?: CallOptions): Promise<ListEndpointWorkersResponse> {
    const endpointId = checkId(id, "id", "endpoints.workers() input");
    return this.t.call(
      "GET /v2/serverless/{id}/workers",
      true,
      (c, signal) =>
        c.GET("/v2/serverless/{id}/workers", { params: { path: { id: endpointId } }, signal }),
      options,
    );
  }

  /** The release history, newest first (`releases`), and the state of the rollout (`rollout`). */
  async releases(id: string, options?: CallOptions): Promise<ListEndpointReleasesResponse> {
    const endpointId = checkId(id, "id", "endpoints.releases() input");
    return this.t.call(
      "GET /v2/serverless/{id}/releases",
      true,
      (c, signal) =>
        c.GET("/v2/serverless/{id}/releases", { params: { path: { id: endpointId } }, signal }),
      options,
    );
  }

  /** One worker's log lines, as `pods.logs()` streams a pod's. */
  workerLogs(id: string, workerId: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const what = "endpoints.workerLogs() input";
    const endpointId = checkId(id, "id", what);
    const worker = checkId(workerId, "workerId", what);
    const { source, tail, since } = options;
    const query = checkQuery(
      "getWorkerLogs",
      { source, tail, since },
      "endpoints.workerLogs() options",
    );
    return followLogs(
      (lastEventId, signal) =>
        this.t.stream(
          "GET /v2/serverless/{id}/workers/{workerId}/logs",
          (c) =>
            c.GET("/v2/serverless/{id}/workers/{workerId}/logs", {
              params: {
                path: { id: endpointId, workerId: worker },
                query,
                ...(lastEventId ? { header: { "Last-Event-ID": lastEventId } } : {}),
              },
              headers: { accept: "text/event-stream" },
              parseAs: "stream",
              signal,
            }),
          signal,
        ),
      checkLogOptions(options, "endpoints.workerLogs() options"),
      this.t.retry,
      `logs of worker ${worker} of endpoint ${endpointId}`,
    );
  }
}
