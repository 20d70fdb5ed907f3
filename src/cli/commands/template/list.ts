import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { templateColumns } from "./format.js";

/** `runpod-ts template list` */
export async function listTemplates(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const templates = await ctx.out.spin("Fetching templates", () => api.graphql.getTemplates());
  ctx.out.table(
    templates,
    templateColumns,
    "No templates. Create one with `runpod-ts template create --name NAME --image IMAGE`.",
  );
}
