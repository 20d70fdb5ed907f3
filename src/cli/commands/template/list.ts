import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { orMissing } from "../../not-found.js";
import { parseFlags } from "../../usage.js";
import { arg, showOne } from "../v2/show.js";
import { TEMPLATE_HINT, templateColumns, templateDetails } from "./format.js";

const flags = z.object({ catalog: z.enum(["official", "verified", "community"]).optional() });

/** `runpod-ts template list [--catalog official|verified|community]` */
export async function listTemplates(ctx: CommandContext): Promise<void> {
  const { catalog } = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const templates = await ctx.out.spin("Fetching templates", () =>
    catalog === undefined ? api.templates.list() : api.catalog.templates({ source: catalog }),
  );
  ctx.out.table(
    templates,
    templateColumns,
    catalog === undefined
      ? "No templates. Create one with `runpod-ts template create --name NAME --image IMAGE`."
      : `No ${catalog} templates in Runpod's catalog.`,
  );
}

/** `runpod-ts template get ID`: one of yours or a public one. */
export async function getTemplate(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  await showOne(
    ctx,
    "Fetching template",
    () => orMissing(api.templates.get(id), `No template "${id}"`, TEMPLATE_HINT),
    templateDetails,
  );
}
