import type { Template } from "../../../api/graphql/resources/templates.js";
import type { Column } from "../../output/table.js";

export const templateColumns: Column<Template>[] = [
  { header: "ID", value: (t) => t.id ?? "" },
  { header: "NAME", value: (t) => t.name ?? "" },
  { header: "KIND", value: (t) => (t.isServerless ? "serverless" : "pod") },
  {
    header: "DISK",
    value: (t) => (t.containerDiskInGb == null ? "-" : `${t.containerDiskInGb} GB`),
    align: "right",
  },
  { header: "IMAGE", value: (t) => t.imageName ?? "" },
];
