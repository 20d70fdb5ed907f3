import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { endpointColumns } from "./format.js";

/** `runpod-ts endpoint list` */
export async function listEndpoints(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const endpoints = await ctx.out.spin("Fetching endpoints", () => api.graphql.getEndpoints());
  ctx.out.table(
    endpoints,
    endpointColumns,
    "No endpoints. Create one with `runpod-ts endpoint create` or `runpod-ts deploy --image IMAGE`.",
  );
}
