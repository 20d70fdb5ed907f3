import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { commaListFlag, intFlag, textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";

const flags = z
  .object({
    name: textFlag,
    templateId: textFlag,
    gpu: commaListFlag.pipe(z.array(z.string()).min(1, "name at least one GPU pool")),
    gpuCount: intFlag(1),
    workersMin: intFlag(0),
    workersMax: intFlag(0),
    idleTimeout: intFlag(1),
    scaler: z.enum(["QUEUE_DELAY", "REQUEST_COUNT"]),
    scalerValue: intFlag(1),
    flashboot: z.boolean().default(false),
    executionTimeout: intFlag(1).optional(),
    networkVolumeId: textFlag.optional(),
    locations: textFlag.optional(),
    cuda: commaListFlag.optional(),
    minCuda: textFlag.optional(),
  })
  .refine((f) => f.workersMin <= f.workersMax, {
    message: "must not exceed --workers-max",
    path: ["workersMin"],
  });

/** `runpod-ts endpoint create --name N --template-id T …` */
export async function createEndpoint(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const endpoint = await ctx.out.spin(`Creating endpoint ${f.name}`, () =>
    api.graphql.createEndpoint({
      name: f.name,
      templateId: f.templateId,
      gpuIds: f.gpu.join(","),
      gpuCount: f.gpuCount,
      workersMin: f.workersMin,
      workersMax: f.workersMax,
      idleTimeout: f.idleTimeout,
      scalerType: f.scaler,
      scalerValue: f.scalerValue,
      flashboot: f.flashboot,
      executionTimeoutMs: f.executionTimeout === undefined ? undefined : f.executionTimeout * 1000,
      networkVolumeId: f.networkVolumeId,
      locations: f.locations,
      allowedCudaVersions: f.cuda,
      minCudaVersion: f.minCuda,
    }),
  );
  ctx.out.data(endpoint, (e) => `Created endpoint ${e.name ?? f.name} (${e.id ?? "no id"})`);
}
