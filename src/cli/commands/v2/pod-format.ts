import type { Pod } from "../../../api/types.js";
import type { Column } from "../../output/table.js";

/** Columns of a REST v2 pod list. */
export function podColumnsV2(): Column<Pod>[] {
  return [
    { header: "ID", value: (p) => p.id },
    { header: "NAME", value: (p) => p.name },
    { header: "STATUS", value: (p) => p.status },
    {
      header: "HARDWARE",
      value: (p) =>
        p.gpu
          ? `${p.gpu.count} × ${p.gpu.id}`
          : p.cpu
            ? `CPU ${p.cpu.id} (${p.cpu.vcpuCount} vCPU)`
            : "-",
    },
    { header: "$/H", value: (p) => (p.cost ?? 0).toFixed(3), align: "right" },
    { header: "IMAGE", value: (p) => p.image ?? "" },
  ];
}
