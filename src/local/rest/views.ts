import {
  type LoadBalancerWorkerStatus,
  loadBalancerHealthUrl,
} from "../../protocol/load-balancing.js";
import type { WorkerSnapshot } from "../events.js";
import type { LbEndpoint } from "../load-balancer/endpoints.js";
import type { LbWorkerSnapshot } from "../load-balancer/snapshots.js";
import type { ResolvedOptions } from "../options.js";
import type { CreateEndpointBody } from "./create-endpoint.js";

/**
 * What the REST v2 view answers, shaped as the vendored document's `Endpoint` and
 * `ListEndpointWorkersResponse` (the tests check every answer against it). Nothing is placed on a
 * data center or a GPU locally: those fields are empty or null, `flashboot` is `OFF`.
 */

type WorkerStatus = LoadBalancerWorkerStatus | "THROTTLED";

/** The fields a created endpoint was given and reports back as it was told. */
type Requested = Pick<
  CreateEndpointBody,
  | "name"
  | "gpu"
  | "cpu"
  | "timeout"
  | "flashboot"
  | "dataCenterIds"
  | "networkVolumes"
  | "image"
  | "args"
  | "disk"
  | "env"
  | "ports"
  | "registry"
>;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Where a job id goes in a queue endpoint's job URLs: a literal `{job_id}`, as production answers
 * (the document's examples, synced from the service: `…/status/{job_id}`), so code that fills it
 * in with `replace("{job_id}", id)` works against both. The schema's `format: uri` (which braces
 * are not) is an annotation in OpenAPI 3.1 (JSON Schema 2020-12), not a check; Prism asserts it
 * anyway, and the tests name exactly that verdict.
 */
const JOB_ID_PLACEHOLDER = "{job_id}";

/**
 * The platform's queue endpoint. Its workers connect by themselves (none is started or scaled),
 * so `workers` and `scaling` report the console's defaults for a new queue endpoint.
 */
export function queueEndpointView(options: ResolvedOptions, url: string, startedAt: number) {
  const base = `${url}/v2/${options.endpointId}`;
  const job = JOB_ID_PLACEHOLDER;
  return {
    id: options.endpointId,
    name: options.endpointId,
    type: "QUEUE" as const,
    requestUrls: {
      run: `${base}/run`,
      runSync: `${base}/runsync`,
      status: `${base}/status/${job}`,
      stream: `${base}/stream/${job}`,
      cancel: `${base}/cancel/${job}`,
      retry: `${base}/retry/${job}`,
      purgeQueue: `${base}/purge-queue`,
      health: `${base}/health`,
    },
    gpu: null,
    workers: { min: 0, max: 3, idleTimeout: 5 },
    scaling: { type: "QUEUE_DELAY" as const, queueDelay: 4 },
    dataCenterIds: [],
    networkVolumes: [],
    timeout: options.executionTimeoutMs,
    flashboot: "OFF" as const,
    createdAt: iso(startedAt),
  };
}

/**
 * A load-balancing endpoint: `requestUrls` point at its local balancer, `workers` and `scaling`
 * are the balancer's own (idle timeout in whole seconds, within the document's 1–3600), and one
 * created through REST reports the rest of what it was given.
 */
export function lbEndpointView(endpoint: LbEndpoint, requested: Requested | undefined) {
  const { options } = endpoint;
  const idleTimeout = Math.min(3600, Math.max(1, Math.round(options.workers.idleTimeoutMs / 1000)));
  const container = requested === undefined ? {} : containerOf(requested);
  return {
    ...container,
    id: endpoint.id,
    name: requested?.name ?? endpoint.id,
    type: "LOAD_BALANCER" as const,
    requestUrls: {
      base: endpoint.url,
      health: loadBalancerHealthUrl(endpoint.url, options.healthPath),
    },
    ...computeOf(requested),
    workers: { min: options.workers.min, max: options.workers.max, idleTimeout },
    scaling: { type: "REQUEST_COUNT" as const, requestCount: options.workers.requestCount },
    dataCenterIds: requested?.dataCenterIds ?? [],
    networkVolumes: requested?.networkVolumes ?? [],
    timeout: requested?.timeout ?? options.processingTimeoutMs,
    flashboot: requested?.flashboot ?? ("OFF" as const),
    createdAt: iso(endpoint.createdAt),
  };
}

/** The container fields as given (the document's `ContainerConfig`). */
function containerOf(r: Requested) {
  const { image, args, disk, env, ports, registry } = r;
  return Object.fromEntries(
    Object.entries({ image, args, disk, env, ports, registry }).filter(([, v]) => v !== undefined),
  );
}

/** `gpu` (the document's response form) or `cpu` (with a nominal 4 GB per vCPU). */
function computeOf(r: Requested | undefined) {
  if (r?.cpu !== undefined) {
    return { gpu: null, cpu: r.cpu.map((c) => ({ ...c, memory: c.vcpuCount * 4 })) };
  }
  if (r?.gpu === undefined) return { gpu: null };
  const { pools, excludedTypes, count = 1, allowedCudaVersions = [], minCudaVersion } = r.gpu;
  return {
    gpu: {
      pools,
      ...(excludedTypes === undefined ? {} : { excludedTypes }),
      count,
      allowedCudaVersions,
      minCudaVersion: minCudaVersion ?? null,
    },
  };
}

interface WorkerRow {
  id: string;
  status: WorkerStatus;
  startedAt: number | undefined;
}

/** A load-balancer worker; one being stopped is no longer active and is left out. */
export function lbWorkerRow(w: LbWorkerSnapshot): WorkerRow | undefined {
  return w.status === undefined
    ? undefined
    : { id: w.id, status: w.status, startedAt: w.startedAt };
}

const QUEUE_WORKER_STATUS: Readonly<Record<WorkerSnapshot["state"], WorkerStatus>> = {
  idle: "IDLE",
  running: "RUNNING",
  unhealthy: "UNHEALTHY",
};

/** A worker connected to the queue; the platform does not know when it started. */
export function queueWorkerRow(w: WorkerSnapshot): WorkerRow {
  return { id: w.id, status: QUEUE_WORKER_STATUS[w.state], startedAt: undefined };
}

/** `ListEndpointWorkersResponse`: the active workers and a count per status. */
export function workersView(rows: readonly WorkerRow[], image: string | undefined, now: number) {
  const count = (status: WorkerStatus) => rows.filter((r) => r.status === status).length;
  return {
    workers: rows.map((r) => ({
      id: r.id,
      status: r.status,
      isStale: false,
      version: null,
      gpuCount: 0,
      image: image ?? null,
      uptimeSeconds: r.startedAt === undefined ? null : Math.floor((now - r.startedAt) / 1000),
      gpuTypeId: null,
      dataCenterId: null,
      startedAt: r.startedAt === undefined ? null : iso(r.startedAt),
    })),
    summary: {
      running: count("RUNNING"),
      idle: count("IDLE"),
      initializing: count("INITIALIZING"),
      throttled: count("THROTTLED"),
      unhealthy: count("UNHEALTHY"),
      total: rows.length,
    },
    endpointVersion: null,
  };
}
