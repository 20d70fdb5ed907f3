import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { intFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { findPod, podIdArg } from "./find.js";

/** `runpod-ts pod stop POD_ID` */
export async function stopPod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const api = await connectApi(ctx);
  const pod = await ctx.out.spin(`Stopping pod ${podId}`, () => api.graphql.stopPod(podId));
  ctx.out.data(
    pod,
    (p) =>
      `Stopped pod ${p.id} (${p.desiredStatus}); resume it with \`runpod-ts pod resume ${p.id}\``,
  );
}

const resumeFlags = z.object({ gpuCount: intFlag(1).optional() });

/** `runpod-ts pod resume POD_ID [--gpu-count N]` */
export async function resumePod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const { gpuCount } = parseFlags(ctx, resumeFlags, ctx.options);
  const api = await connectApi(ctx);
  const pod = await ctx.out.spin(`Resuming pod ${podId}`, async () => {
    // The server needs a GPU count for GPU pods and none for CPU pods; the pod's own is the
    // natural default.
    const count = gpuCount ?? ((await findPod(api, podId)).gpuCount || undefined);
    return api.graphql.resumePod(podId, count);
  });
  ctx.out.data(pod, (p) => `Resumed pod ${p.id} (${p.desiredStatus})`);
}

/** `runpod-ts pod terminate POD_ID` */
export async function terminatePod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const api = await connectApi(ctx);
  await ctx.out.spin(`Terminating pod ${podId}`, () => api.graphql.terminatePod(podId));
  ctx.out.data({ id: podId, terminated: true }, () => `Terminated pod ${podId}`);
}
