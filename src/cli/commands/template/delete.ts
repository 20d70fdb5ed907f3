import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";

/**
 * `runpod-ts template delete NAME_OR_ID`. The API deletes by name; ids are what `list` shows
 * first, so both are accepted and resolved against the account's templates.
 */
export async function deleteTemplate(ctx: CommandContext): Promise<void> {
  const given = String(ctx.args[0]);
  const api = await connectApi(ctx);
  const deleted = await ctx.out.spin(`Deleting template ${given}`, async () => {
    const templates = await api.graphql.getTemplates();
    const match = templates.find((t) => t.name === given) ?? templates.find((t) => t.id === given);
    if (match?.name == null) {
      throw new CliError(
        `No template named "${given}" or with that id`,
        "list your templates with `runpod-ts template list`",
      );
    }
    await api.graphql.deleteTemplate(match.name);
    return { id: match.id ?? null, name: match.name };
  });
  ctx.out.data({ ...deleted, deleted: true }, (d) => `Deleted template ${d.name}`);
}
