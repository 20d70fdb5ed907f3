import type { Template } from "../../../api/types.js";
import type { Column } from "../../output/table.js";
import { text } from "../v2/show.js";

/** What to do when a template id is unknown. */
export const TEMPLATE_HINT =
  "list your templates with `runpod-ts template list` (public ones: `--catalog official`)";

export const templateColumns: Column<Template>[] = [
  { header: "ID", value: (t) => t.id },
  { header: "NAME", value: (t) => t.name },
  { header: "KIND", value: (t) => (t.serverless ? "serverless" : "pod") },
  { header: "DISK", value: (t) => (t.disk == null ? "-" : `${t.disk} GB`), align: "right" },
  { header: "IMAGE", value: (t) => t.image ?? "" },
];

/** `template get`: every setting, one per line; absent ones are left out. */
export function templateDetails(t: Template): ReadonlyArray<readonly [string, string | undefined]> {
  const volume = t.mounts?.persistent;
  return [
    ["ID", t.id],
    ["Name", t.name],
    ["Kind", t.serverless ? "serverless" : "pod"],
    ["Image", text(t.image)],
    ["Start command", text(t.args)],
    ["Container disk", t.disk == null ? undefined : `${t.disk} GB`],
    ["Volume", volume ? `${volume.size} GB at ${volume.path}` : undefined],
    ["Ports", text(t.ports)],
    ["Env", text(Object.keys(t.env ?? {}).sort())],
    ["Registry", text(t.registry)],
    ["CUDA", text(t.allowedCudaVersions)],
    ["Category", text(t.category)],
    ["Public", t.public ? "yes" : "no"],
  ];
}
