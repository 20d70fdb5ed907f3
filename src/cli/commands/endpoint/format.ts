import type { Endpoint, ListEndpointWorkersResponse } from "../../../api/types.js";
import { relativeTime } from "../../output/relative-time.js";
import type { Column } from "../../output/table.js";
import { text } from "../v2/show.js";

/** What to do when an endpoint id is unknown. */
export const ENDPOINT_HINT = "list your endpoints with `runpod-ts endpoint list`";

type Rows = ReadonlyArray<readonly [string, string | undefined]>;

/** `2 × ADA_24,AMPERE_16`, or `CPU cpu5c (4 vCPU)`: what a worker runs on. */
function compute(e: Endpoint): string {
  if (e.gpu) return `${e.gpu.count ?? 1} × ${e.gpu.pools?.join(",") ?? "?"}`;
  if (e.cpu) return e.cpu.map((c) => `CPU ${c.id} (${c.vcpuCount} vCPU)`).join(", ");
  return "-";
}

/** `QUEUE_DELAY 4 s` or `REQUEST_COUNT 4`. */
function scaler(e: Endpoint): string {
  return e.scaling.type === "QUEUE_DELAY"
    ? `QUEUE_DELAY ${e.scaling.queueDelay} s`
    : `REQUEST_COUNT ${e.scaling.requestCount}`;
}

export const endpointColumns: Column<Endpoint>[] = [
  { header: "ID", value: (e) => e.id },
  { header: "NAME", value: (e) => e.name },
  { header: "TYPE", value: (e) => e.type ?? "-" },
  { header: "COMPUTE", value: compute },
  { header: "WORKERS", value: (e) => `${e.workers.min}-${e.workers.max}`, align: "right" },
  { header: "CREATED", value: (e) => relativeTime(e.createdAt) },
];

/** The endpoint's URLs (`run`, `runSync`, … for a queue endpoint; `base`, `health` for a balancer). */
export function requestUrlRows(e: Endpoint): Rows {
  return Object.entries(e.requestUrls ?? {}).map(([name, url]) => [name, String(url)] as const);
}

/** `endpoint get`: the settings, then the URLs; absent values are left out. */
export function endpointDetails(e: Endpoint): Rows {
  const volumes = e.networkVolumes;
  return [
    ["ID", e.id],
    ["Name", e.name],
    ["Type", text(e.type)],
    ["Image", text(e.image)],
    ["Compute", compute(e)],
    [
      "CUDA",
      text(e.gpu?.allowedCudaVersions) ??
        (e.gpu?.minCudaVersion ? `≥ ${e.gpu.minCudaVersion}` : undefined),
    ],
    ["Workers", `${e.workers.min}-${e.workers.max}`],
    [
      "Idle timeout",
      e.workers.idleTimeout === undefined ? undefined : `${e.workers.idleTimeout} s`,
    ],
    ["Scaler", scaler(e)],
    ["Timeout", `${e.timeout / 1000} s`],
    ["FlashBoot", e.flashboot],
    ["Data centers", text(e.dataCenterIds)],
    ["Network volumes", text(volumes)],
    ["Ports", text(e.ports)],
    ["Env", text(Object.keys(e.env ?? {}).sort())],
    ["Created", e.createdAt],
    ...requestUrlRows(e),
  ];
}

/** `endpoint workers`: a count per status, then a line per active worker. */
export function workersText(r: ListEndpointWorkersResponse): string {
  const s = r.summary;
  const head = `${s.total} workers: ${s.running} running, ${s.idle} idle, ${s.initializing} initializing, ${s.throttled} throttled, ${s.unhealthy} unhealthy`;
  const rows = r.workers.map((w) =>
    [
      w.id,
      w.status,
      w.gpuTypeId ?? "-",
      w.dataCenterId ?? "-",
      w.isStale ? "stale" : "current",
    ].join("  "),
  );
  return [head, ...rows].join("\n");
}
