import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";

/**
 * `runpod-ts endpoint delete ENDPOINT_ID`. The API refuses to delete an endpoint that may still
 * have workers, so it is scaled to zero first.
 */
export async function deleteEndpoint(ctx: CommandContext): Promise<void> {
  const endpointId = String(ctx.args[0]);
  const api = await connectApi(ctx);
  const result = await ctx.out.spin(`Deleting endpoint ${endpointId}`, async (update) => {
    const endpoint = await api.graphql.getEndpoint(endpointId);
    if (endpoint === undefined) {
      throw new CliError(
        `No endpoint "${endpointId}" on this account`,
        "list your endpoints with `runpod-ts endpoint list`",
      );
    }
    const scaledDown = (endpoint.workersMin ?? 0) !== 0 || (endpoint.workersMax ?? 0) !== 0;
    if (scaledDown) {
      update(`Scaling endpoint ${endpointId} to 0 workers`);
      await api.graphql.updateEndpoint(endpointId, { workersMin: 0, workersMax: 0 });
    }
    update(`Deleting endpoint ${endpointId}`);
    await api.graphql.deleteEndpoint(endpointId);
    return { id: endpointId, name: endpoint.name ?? null, scaledDown, deleted: true };
  });
  ctx.out.data(result, (r) => `Deleted endpoint ${r.name ?? r.id} (${r.id})`);
}
