import { ValidationError } from "../../core/errors.js";
import { checkLogOptions, followLogs, type LogLine, type LogOptions } from "../rest/log-stream.js";
import { checkId, checkRequest } from "../rest/request-check.js";
import type { CreatePodRequest, Pod, UpdatePodRequest } from "../types.js";
import { type CallOptions, checkQuery, type QueryOf, Resource } from "./resource.js";

/** Query of `pods.list()`. */
export type ListPodsQuery = QueryOf<"listPods">;

/** Exactly one of `gpu` and `cpu`: the server answers 400 to neither or both. */
export function checkCompute(body: { gpu?: unknown; cpu?: unknown }, what: string): void {
  if ((body.gpu === undefined) === (body.cpu === undefined)) {
    throw new ValidationError(what, [
      { path: [], message: "give exactly one of `gpu` (a GPU pod) and `cpu` (a CPU pod)" },
    ]);
  }
}

/** `api.pods`: GPU and CPU pods (`/v2/pods`). */
export class Pods extends Resource {
  /** Your pods; cluster members only with `includeClusterPods: true`. */
  async list(query: ListPodsQuery = {}, options?: CallOptions): Promise<Pod[]> {
    const q = checkQuery("listPods", query, "pods.list() query");
    const res = await this.t.call(
      "GET /v2/pods",
      true,
      (c, signal) => c.GET("/v2/pods", { params: { query: q }, signal }),
      options,
    );
    return res.pods;
  }

  /** One pod. @throws NotFoundError when there is none with this id. */
  async get(id: string, options?: CallOptions): Promise<Pod> {
    const podId = checkId(id, "id", "pods.get() input");
    return this.t.call(
      "GET /v2/pods/{id}",
      true,
      (c, signal) => c.GET("/v2/pods/{id}", { params: { path: { id: podId } }, signal }),
      options,
    );
  }

  /**
   * Creates a GPU pod (`gpu: { id, count }`) or a CPU pod (`cpu: { id, vcpuCount }`); it starts in
   * `PROVISIONING`. One GPU type per call, no fallback: read `api.catalog` for capacity first.
   * Never repeated after it may have reached the server.
   */
  async create(input: CreatePodRequest, options?: CallOptions): Promise<Pod> {
    const body = checkRequest("CreatePodRequest", input, "pods.create() input");
    checkCompute(body, "pods.create() input");
    return this.t.call(
      "POST /v2/pods",
      false,
      (c, signal) => c.POST("/v2/pods", { body, signal }),
      options,
    );
  }

  /** Changes the given fields only (name, image, args, disk, ports, env, registry, mounts, ...). */
  async update(id: string, patch: UpdatePodRequest, options?: CallOptions): Promise<Pod> {
    const podId = checkId(id, "id", "pods.update() input");
    const body = checkRequest("UpdatePodRequest", patch, "pods.update() input");
    return this.t.call(
      "PATCH /v2/pods/{id}",
      true,
      (c, signal) => c.PATCH("/v2/pods/{id}", { params: { path: { id: podId } }, body, signal }),
      options,
    );
  }

  /** Boots a stopped (`EXITED` or `ERROR`) pod. @throws APIError 409 from another status. */
  async start(id: string, options?: CallOptions): Promise<Pod> {
    return this.#action(id, "start", options);
  }

  /** Stops a pod, keeping its disk; it becomes `EXITED`. */
  async stop(id: string, options?: CallOptions): Promise<Pod> {
    return this.#action(id, "stop", options);
  }

  /** Restarts a `RUNNING` pod's container in place. */
  async restart(id: string, options?: CallOptions): Promise<Pod> {
    return this.#action(id, "restart", options);
  }

  /** Deletes a pod for good (a network volume is only detached). */
  async terminate(id: string, options?: CallOptions): Promise<void> {
    const podId = checkId(id, "id", "pods.terminate() input");
    await this.t.call(
      "DELETE /v2/pods/{id}",
      true,
      (c, signal) => c.DELETE("/v2/pods/{id}", { params: { path: { id: podId } }, signal }),
      options,
    );
  }

  /**
   * The pod's log lines (Server-Sent Events): `tail` lines of history, then live output, resumed
   * with `Last-Event-ID` after a dropped connection, until `signal` aborts or the loop breaks.
   */
  logs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const podId = checkId(id, "id", "pods.logs() input");
    const { source, tail, since } = options;
    const query = checkQuery("getPodLogs", { source, tail, since }, "pods.logs() options");
    return followLogs(
      (lastEventId, signal) =>
        this.t.stream(
          "GET /v2/pods/{id}/logs",
          (c) =>
            c.GET("/v2/pods/{id}/logs", {
              params: {
                path: { id: podId },
                query,
                ...(lastEventId ? { header: { "Last-Event-ID": lastEventId } } : {}),
              },
              headers: { accept: "text/event-stream" },
              parseAs: "stream",
              signal,
            }),
          signal,
        ),
      checkLogOptions(options, "pods.logs() options"),
      this.t.retry,
      `logs of pod ${podId}`,
    );
  }

  async #action(id: string, action: "start" | "stop" | "restart", options?: CallOptions) {
    const podId = checkId(id, "id", `pods.${action}() input`);
    const pod = await this.t.call(
      "POST /v2/pods/{id}/action",
      // The document makes these idempotent: repeating one lands in the same state (or a 409).
      true,
      (c, signal) =>
        c.POST("/v2/pods/{id}/action", {
          params: { path: { id: podId } },
          body: { action },
          signal,
        }),
      options,
    );
    return pod as Pod;
  }
}
