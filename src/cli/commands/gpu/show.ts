import * as z from "zod";
import type { GpuQuery } from "../../../api/resources/catalog.js";
import type { GpuType } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { intFlag } from "../../flags.js";
import { orMissing } from "../../not-found.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";
import { text } from "../v2/show.js";

const stockFlags = () =>
  z.object({
    gpuCount: intFlag(1),
    cloud: z.enum(["SECURE", "COMMUNITY"]).optional(),
  });

/**
 * Stock for pods (the product this CLI deploys) of `count` GPUs in one cloud: the catalog
 * reports availability only when asked, and only for a stated product.
 */
function stockQuery(f: z.output<ReturnType<typeof stockFlags>>): GpuQuery {
  return {
    include: ["AVAILABILITY"],
    product: ["POD"],
    count: f.gpuCount,
    ...(f.cloud === undefined ? {} : { cloud: f.cloud }),
  };
}

/** `$0.440/h`, or `-` where the type is not offered. */
const price = (offered: boolean, perGpu: number | undefined, count = 1) =>
  offered && perGpu !== undefined ? `$${(perGpu * count).toFixed(3)}/h` : "-";

const listFlags = () => stockFlags().extend({ available: z.boolean().default(false) });

/** `runpod-ts gpu list [--available] [--gpu-count N] [--cloud SECURE|COMMUNITY]` */
export async function listGpus(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, listFlags(), ctx.options);
  const api = await connectApi(ctx);
  const all = await ctx.out.spin("Fetching GPU types", () => api.catalog.gpus(stockQuery(f)));
  const gpus = f.available
    ? all.filter((g) => g.availability !== undefined && g.availability !== "NONE")
    : all;
  ctx.out.table(
    gpus,
    [
      { header: "ID", value: (g) => g.id },
      { header: "NAME", value: (g) => g.name },
      { header: "MEMORY", value: (g) => `${g.memory} GB`, align: "right" },
      { header: "SECURE $/H", value: (g) => price(g.secure, g.price.secure), align: "right" },
      {
        header: "COMMUNITY $/H",
        value: (g) => price(g.community, g.price.community),
        align: "right",
      },
      { header: "STOCK", value: (g) => g.availability ?? "-" },
    ],
    f.available ? "No GPU type is in stock for such a pod now." : "No GPU types.",
  );
}

/** `runpod-ts gpu get GPU_TYPE_ID [--gpu-count N] [--cloud SECURE|COMMUNITY]` */
export async function getGpu(ctx: CommandContext): Promise<void> {
  const gpuId = String(ctx.args[0]);
  const f = parseFlags(ctx, stockFlags(), ctx.options);
  const api = await connectApi(ctx);
  const gpu = await ctx.out.spin(`Fetching ${gpuId}`, () =>
    orMissing(
      api.catalog.gpu(gpuId, stockQuery(f)),
      `No GPU type "${gpuId}"`,
      "list the ids with `runpod-ts gpu list`",
    ),
  );
  ctx.out.data(gpu, (g) => formatDetails(gpuRows(g, f.gpuCount, f.cloud), ctx.out.style.bold));
}

function gpuRows(g: GpuType, count: number, cloud = "SECURE") {
  const per = count === 1 ? "" : ` (${count} GPUs)`;
  const cuda = g.cudaVersions?.map((c) => (c.available ? c.version : `${c.version} (full)`));
  const dataCenters = g.dataCenters?.map((d) => `${d.id} ${d.availability}`);
  return [
    ["ID", g.id],
    ["Name", g.name],
    ["Maker", g.manufacturer],
    ["Memory", `${g.memory} GB`],
    [`Secure cloud${per}`, price(g.secure, g.price.secure, count)],
    [`Community cloud${per}`, price(g.community, g.price.community, count)],
    ["Serverless pool", g.pool === null ? undefined : g.pool],
    ["Serverless", g.price.serverless === undefined ? undefined : price(true, g.price.serverless)],
    ["Max per pod", `${g.maxCount.secure} secure, ${g.maxCount.community} community`],
    [`Stock (${count} GPU, ${cloud})`, g.availability],
    ["Data centers", text(dataCenters)],
    ["CUDA", text(cuda)],
  ] as const;
}
