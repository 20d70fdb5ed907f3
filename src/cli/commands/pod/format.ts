import type { Pod, PodStatus } from "../../../api/types.js";
import type { Styles } from "../../output/color.js";
import { formatDetails } from "../../output/details.js";
import { relativeTime } from "../../output/relative-time.js";
import type { Column } from "../../output/table.js";

/** "2 × NVIDIA A40", or "CPU cpu5c (4 vCPU)" for a CPU pod. */
export function podHardware(pod: Pick<Pod, "gpu" | "cpu">): string {
  if (pod.gpu) return `${pod.gpu.count ?? 1} × ${pod.gpu.id}`;
  if (pod.cpu) return `CPU ${pod.cpu.id} (${pod.cpu.vcpuCount} vCPU)`;
  return "-";
}

/** When the current run started; "-" when the pod is not running. */
export function podStarted(pod: Pick<Pod, "status" | "startedAt">, now = Date.now()): string {
  if (pod.status !== "RUNNING" || !pod.startedAt) return "-";
  return relativeTime(pod.startedAt, now);
}

export function statusText(status: PodStatus, style: Styles): string {
  if (status === "RUNNING") return style.green(status);
  if (status === "EXITED" || status === "TERMINATED") return style.dim(status);
  return style.yellow(status);
}

export function podColumns(style: Styles): Column<Pod>[] {
  return [
    { header: "ID", value: (p) => p.id },
    { header: "NAME", value: (p) => p.name },
    { header: "STATUS", value: (p) => statusText(p.status, style) },
    { header: "HARDWARE", value: (p) => podHardware(p) },
    { header: "$/H", value: (p) => p.cost.toFixed(3), align: "right" },
    { header: "STARTED", value: (p) => podStarted(p) },
    { header: "IMAGE", value: (p) => p.image ?? "" },
  ];
}

/** `ip:public→private/type` for each mapped port; the configured ports until the pod runs. */
function portsText(pod: Pod): string | undefined {
  const mapped = pod.runtime?.ports ?? [];
  if (mapped.length === 0) return pod.ports?.join(", ") || undefined;
  return mapped
    .map((p) => `${p.ip ?? "?"}:${p.public ?? "-"}→${p.private ?? "?"}/${p.type ?? "?"}`)
    .join(", ");
}

function volumeText(pod: Pod): string | undefined {
  const { persistent, network } = pod.mounts ?? {};
  if (persistent) return `${persistent.size} GB at ${persistent.path}`;
  const volume = network?.[0];
  return volume ? `network volume ${volume.volumeId} at ${volume.path}` : undefined;
}

export function podDetails(pod: Pod, style: Styles): string {
  const networking = pod.globalNetworking.enabled
    ? (pod.globalNetworking.ip ?? "enabled")
    : undefined;
  return formatDetails(
    [
      ["ID", pod.id],
      ["Name", pod.name],
      ["Status", statusText(pod.status, style)],
      ["Actions", pod.actions.join(", ") || undefined],
      ["Hardware", podHardware(pod)],
      ["Cloud", pod.cloud],
      ["Data center", pod.dataCenterId ?? undefined],
      ["Cost", `$${pod.cost.toFixed(3)}/h`],
      ["Started", podStarted(pod)],
      ["Image", pod.image || undefined],
      ["Args", pod.args || undefined],
      ["Disk", pod.disk ? `${pod.disk} GB` : undefined],
      ["Volume", volumeText(pod)],
      ["Ports", portsText(pod)],
      ["SSH", (pod.ssh.direct ?? pod.ssh.proxy)?.command],
      ["CUDA", pod.cudaVersion ?? undefined],
      ["Global network", networking],
      ["Locked", pod.locked ? "yes (cannot be stopped)" : undefined],
      ["Created", pod.createdAt],
    ],
    style.bold,
  );
}
