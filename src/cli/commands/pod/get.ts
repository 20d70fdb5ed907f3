import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { findPod, podIdArg } from "./find.js";
import { podDetails } from "./format.js";

/** `runpod-ts pod get POD_ID` */
export async function getPod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const api = await connectApi(ctx);
  const pod = await ctx.out.spin(`Fetching pod ${podId}`, () => findPod(api, podId));
  ctx.out.data(pod, (p) => podDetails(p, ctx.out.style));
}
