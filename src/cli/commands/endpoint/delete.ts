import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { orMissing } from "../../not-found.js";
import { arg } from "../v2/show.js";
import { ENDPOINT_HINT } from "./format.js";

/**
 * `runpod-ts endpoint delete ENDPOINT_ID`. REST v2 stops the workers and cancels the jobs itself
 * (GraphQL needed the endpoint scaled to zero first), and deletes the template bound to it.
 */
export async function deleteEndpoint(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  await ctx.out.spin(`Deleting endpoint ${id}`, () =>
    orMissing(api.endpoints.delete(id), `No endpoint "${id}" on this account`, ENDPOINT_HINT),
  );
  ctx.out.data(
    { id, deleted: true },
    (r) => `Deleted endpoint ${r.id}; its workers stop and its queued jobs are cancelled`,
  );
}
