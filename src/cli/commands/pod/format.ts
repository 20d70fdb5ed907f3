import type { Pod } from "../../../api/graphql/resources/pods.js";
import type { Styles } from "../../output/color.js";
import { formatDetails } from "../../output/details.js";
import { relativeTime } from "../../output/relative-time.js";
import type { Column } from "../../output/table.js";

/** "2 × RTX 4090", or "CPU" for a pod without GPUs. */
export function podHardware(pod: Pick<Pod, "gpuCount" | "machine" | "vcpuCount">): string {
  const gpus = pod.gpuCount ?? 0;
  if (gpus === 0) return pod.vcpuCount ? `CPU (${pod.vcpuCount} vCPU)` : "CPU";
  return `${gpus} × ${pod.machine?.gpuDisplayName ?? "GPU"}`;
}

/** When the current run started, from the uptime the API reports; "-" when not running. */
export function podStarted(pod: Pick<Pod, "desiredStatus" | "uptimeSeconds">, now = Date.now()) {
  if (pod.desiredStatus !== "RUNNING" || !pod.uptimeSeconds) return "-";
  return relativeTime(now - pod.uptimeSeconds * 1000, now);
}

export function statusText(status: string | null | undefined, style: Styles): string {
  const text = status ?? "UNKNOWN";
  if (text === "RUNNING") return style.green(text);
  if (text === "EXITED" || text === "TERMINATED") return style.dim(text);
  return style.yellow(text);
}

export function podColumns(style: Styles): Column<Pod>[] {
  return [
    { header: "ID", value: (p) => p.id },
    { header: "NAME", value: (p) => p.name ?? "" },
    { header: "STATUS", value: (p) => statusText(p.desiredStatus, style) },
    { header: "HARDWARE", value: (p) => podHardware(p) },
    { header: "$/H", value: (p) => (p.costPerHr ?? 0).toFixed(3), align: "right" },
    { header: "STARTED", value: (p) => podStarted(p) },
    { header: "IMAGE", value: (p) => p.imageName ?? "" },
  ];
}

/** `ip:public→private/type` for each mapped port; the configured ports until the pod runs. */
function portsText(pod: Pod): string | undefined {
  const mapped = (pod.runtime?.ports ?? []).filter((p) => p !== null);
  if (mapped.length === 0) return pod.ports || undefined;
  return mapped
    .map((p) => {
      const where = p.isIpPublic ? "" : " (private)";
      return `${p.ip ?? "?"}:${p.publicPort ?? "?"}→${p.privatePort ?? "?"}/${p.type ?? "?"}${where}`;
    })
    .join(", ");
}

export function podDetails(pod: Pod, style: Styles): string {
  const volume = pod.volumeInGb
    ? `${pod.volumeInGb} GB at ${pod.volumeMountPath ?? "?"}`
    : undefined;
  return formatDetails(
    [
      ["ID", pod.id],
      ["Name", pod.name ?? undefined],
      ["Status", statusText(pod.desiredStatus, style)],
      ["Type", pod.podType ?? undefined],
      ["Hardware", podHardware(pod)],
      ["Memory", pod.memoryInGb ? `${pod.memoryInGb} GB` : undefined],
      ["Cost", pod.costPerHr == null ? undefined : `$${pod.costPerHr.toFixed(3)}/h`],
      ["Started", podStarted(pod)],
      ["Image", pod.imageName ?? undefined],
      ["Disk", pod.containerDiskInGb ? `${pod.containerDiskInGb} GB` : undefined],
      ["Volume", volume],
      ["Ports", portsText(pod)],
      ["Last change", pod.lastStatusChange ?? undefined],
    ],
    style.bold,
  );
}
