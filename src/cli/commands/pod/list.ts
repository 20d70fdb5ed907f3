import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { podColumns } from "./format.js";

/** `runpod-ts pod list` */
export async function listPods(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const pods = await ctx.out.spin("Fetching pods", () => api.graphql.getPods());
  ctx.out.table(
    pods,
    podColumns(ctx.out.style),
    "No pods. Create one with `runpod-ts pod create --image IMAGE [--gpu GPU_TYPE]`.",
  );
}
