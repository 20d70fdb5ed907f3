import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { orMissing } from "../../not-found.js";
import { arg, showOne } from "../v2/show.js";
import { ENDPOINT_HINT, endpointColumns, endpointDetails } from "./format.js";

/** `runpod-ts endpoint list` */
export async function listEndpoints(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const endpoints = await ctx.out.spin("Fetching endpoints", () => api.endpoints.list());
  ctx.out.table(
    endpoints,
    endpointColumns,
    "No endpoints. Create one with `runpod-ts endpoint create` or `runpod-ts deploy --image IMAGE`.",
  );
}

/** `runpod-ts endpoint get ENDPOINT_ID`: its settings and its URLs. */
export async function getEndpoint(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  await showOne(
    ctx,
    "Fetching endpoint",
    () => orMissing(api.endpoints.get(id), `No endpoint "${id}" on this account`, ENDPOINT_HINT),
    endpointDetails,
  );
}
