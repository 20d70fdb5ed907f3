import { BadRequestError } from "../../../core/api-errors.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { TEMPLATE_HINT } from "./format.js";

/**
 * `runpod-ts template delete NAME_OR_ID`. REST v2 deletes by id; names are what people remember
 * (and what the GraphQL API deleted by), so both are accepted and resolved against the account's
 * templates.
 */
export async function deleteTemplate(ctx: CommandContext): Promise<void> {
  const given = String(ctx.args[0]);
  const api = await connectApi(ctx);
  const deleted = await ctx.out.spin(`Deleting template ${given}`, async () => {
    const templates = await api.templates.list();
    const match = templates.find((t) => t.name === given) ?? templates.find((t) => t.id === given);
    if (match === undefined) {
      throw new CliError(`No template named "${given}" or with that id`, TEMPLATE_HINT);
    }
    try {
      await api.templates.delete(match.id);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      throw new CliError(
        `Runpod refused to delete template ${match.name}: ${error.problem?.detail || error.message}`,
        "a template in use by a pod or an endpoint cannot be deleted; delete those first",
        { cause: error },
      );
    }
    return { id: match.id, name: match.name };
  });
  ctx.out.data({ ...deleted, deleted: true }, (d) => `Deleted template ${d.name} (${d.id})`);
}
