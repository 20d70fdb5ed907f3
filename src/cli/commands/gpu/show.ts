import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { intFlag } from "../../flags.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";

/** `runpod-ts gpu list` */
export async function listGpus(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const gpus = await ctx.out.spin("Fetching GPU types", () => api.graphql.getGpus());
  ctx.out.table(
    gpus,
    [
      { header: "ID", value: (g) => g.id ?? "" },
      { header: "NAME", value: (g) => g.displayName ?? "" },
      {
        header: "MEMORY",
        value: (g) => (g.memoryInGb ? `${g.memoryInGb} GB` : "-"),
        align: "right",
      },
    ],
    "No GPU types.",
  );
}

const getFlags = z.object({ gpuCount: intFlag(1) });

const price = (value: number | null | undefined) =>
  value == null || value === 0 ? undefined : `$${value.toFixed(3)}/h`;

/** `runpod-ts gpu get GPU_TYPE_ID [--gpu-count N]` */
export async function getGpu(ctx: CommandContext): Promise<void> {
  const gpuId = String(ctx.args[0]);
  const { gpuCount } = parseFlags(ctx, getFlags, ctx.options);
  const api = await connectApi(ctx);
  const gpu = await ctx.out.spin(`Fetching ${gpuId}`, () => api.graphql.getGpu(gpuId, gpuCount));
  if (gpu === undefined) {
    throw new CliError(`No GPU type "${gpuId}"`, "list the ids with `runpod-ts gpu list`");
  }
  const lowest = gpu.lowestPrice;
  ctx.out.data(gpu, (g) =>
    formatDetails(
      [
        ["ID", g.id ?? gpuId],
        ["Name", g.displayName ?? undefined],
        ["Memory", g.memoryInGb ? `${g.memoryInGb} GB` : undefined],
        ["Secure cloud", price(g.securePrice)],
        ["Community cloud", price(g.communityPrice)],
        ["Secure spot", price(g.secureSpotPrice)],
        ["Community spot", price(g.communitySpotPrice)],
        [`Lowest (${gpuCount} GPU)`, price(lowest?.uninterruptablePrice)],
        [`Lowest bid (${gpuCount} GPU)`, price(lowest?.minimumBidPrice)],
        ["Stock", lowest?.stockStatus ?? undefined],
      ],
      ctx.out.style.bold,
    ),
  );
}
