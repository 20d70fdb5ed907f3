import * as z from "zod";
import type { Pod } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { commaListFlag, textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { podColumns } from "./format.js";

const STATUSES = ["PROVISIONING", "STARTING", "RUNNING", "EXITED", "ERROR", "TERMINATED"] as const;

const flags = z.object({
  status: commaListFlag()
    .transform((list) => list.map((s) => s.toUpperCase()))
    .pipe(z.array(z.enum(STATUSES, { error: `use ${STATUSES.join(", ")}` })))
    .optional(),
  name: textFlag().optional(),
  computeType: z.enum(["GPU", "CPU"]).optional(),
  includeClusterPods: z.boolean().default(false),
});

/**
 * `runpod-ts pod list [--status S,…] [--name TEXT] [--compute-type GPU|CPU]
 * [--include-cluster-pods]`. v2 filters by cluster membership only; the rest is filtered here.
 */
export async function listPods(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const pods = await ctx.out.spin("Fetching pods", () =>
    api.pods.list(f.includeClusterPods ? { includeClusterPods: true } : {}),
  );
  const name = f.name?.toLowerCase();
  const shown = pods.filter(
    (p: Pod) =>
      (f.status === undefined || f.status.includes(p.status)) &&
      (name === undefined || p.name.toLowerCase().includes(name)) &&
      (f.computeType === undefined || (f.computeType === "GPU") === (p.gpu !== undefined)),
  );
  const filtered = shown.length !== pods.length;
  ctx.out.table(
    shown,
    podColumns(ctx.out.style),
    filtered
      ? `None of your ${pods.length} pods matches.`
      : "No pods. Create one with `runpod-ts pod create --image IMAGE [--gpu GPU_TYPE]`.",
  );
}
