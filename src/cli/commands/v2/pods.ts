import type { Pod } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { arg } from "./show.js";

/** `runpod-ts pod restart POD_ID` and `pod start POD_ID` (REST v2 pod actions). */
export async function podAction(ctx: CommandContext, action: "start" | "restart"): Promise<void> {
  const podId = arg(ctx);
  const api = await connectApi(ctx);
  const verb = action === "start" ? "Starting" : "Restarting";
  const pod: Pod = await ctx.out.spin(`${verb} pod ${podId}`, () => api.pods[action](podId));
  ctx.out.data(
    pod,
    (p) => `${action === "start" ? "Started" : "Restarted"} pod ${p.id} (${p.status})`,
  );
}
