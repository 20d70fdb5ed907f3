/**
 * v2 pod records for the scripted server, in the shape of the document's `Pod` (typed by it), for
 * the states Prism's single example cannot show.
 */
import type { Pod } from "../../src/api/types.js";
import type { Reply } from "../helpers/scripted-server.js";

export function v2Pod(id: string, fields: Partial<Pod> = {}): Pod {
  return {
    id,
    name: id,
    image: "runpod/base:0.6.2",
    args: "",
    disk: 20,
    ports: ["22/tcp"],
    env: {},
    registry: null,
    status: "RUNNING",
    actions: ["stop", "restart", "terminate"],
    mounts: {},
    gpu: { id: "NVIDIA A40", count: 1 },
    cloud: "SECURE",
    dataCenterId: "EU-RO-1",
    cudaVersion: "12.8",
    ssh: { proxy: null, direct: null },
    template: null,
    cost: 0.4,
    locked: false,
    globalNetworking: { enabled: false },
    runtime: { uptime: 60, ports: [] },
    createdAt: "2026-11-30T12:00:00Z",
    startedAt: "2026-11-30T12:01:00Z",
    ...fields,
  };
}

/** A problem document as v2 sends it, e.g. the 404 of an unknown id. */
export function problem(status: number, title: string, detail: string): Reply {
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    json: { title, status, detail },
  };
}
