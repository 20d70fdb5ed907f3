import type { Endpoint } from "../../../api/graphql/resources/endpoints.js";
import { relativeTime } from "../../output/relative-time.js";
import type { Column } from "../../output/table.js";

export const endpointColumns: Column<Endpoint>[] = [
  { header: "ID", value: (e) => e.id ?? "" },
  { header: "NAME", value: (e) => e.name ?? "" },
  { header: "GPUS", value: (e) => `${e.gpuCount ?? 1} × ${e.gpuIds ?? "?"}` },
  { header: "WORKERS", value: (e) => `${e.workersMin ?? 0}-${e.workersMax ?? 0}`, align: "right" },
  { header: "TEMPLATE", value: (e) => e.templateId ?? "" },
  { header: "CREATED", value: (e) => (e.createdAt ? relativeTime(e.createdAt) : "-") },
];
