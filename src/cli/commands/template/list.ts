import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { intFlag } from "../../flags.js";
import { orMissing } from "../../not-found.js";
import { parseFlags } from "../../usage.js";
import { arg, showOne } from "../v2/show.js";
import { TEMPLATE_HINT, templateColumns, templateDetails } from "./format.js";

const SOURCES = ["official", "verified", "community"] as const;
const flags = z.object({
  catalog: z.enum(SOURCES).optional(),
  limit: intFlag(1).optional(),
  offset: intFlag(0).optional(),
});

/**
 * `--offset` and `--limit` (runpodctl's): a page of the list. REST v2 answers these lists whole
 * (the vendored document has no paging parameters on them), so the page is cut here.
 */
function page<T>(rows: T[], f: z.output<typeof flags>): T[] {
  const from = f.offset ?? 0;
  return rows.slice(from, f.limit === undefined ? undefined : from + f.limit);
}

/** `runpod-ts template list [--catalog official|verified|community] [--offset N] [--limit N]` */
export async function listTemplates(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const { catalog } = f;
  const api = await connectApi(ctx);
  const templates = await ctx.out.spin("Fetching templates", () =>
    catalog === undefined ? api.templates.list() : api.catalog.templates({ source: catalog }),
  );
  ctx.out.table(
    page(templates, f),
    templateColumns,
    catalog === undefined
      ? "No templates. Create one with `runpod-ts template create --name NAME --image IMAGE`."
      : `No ${catalog} templates in Runpod's catalog.`,
  );
}

/**
 * `runpod-ts template search TERM [--catalog SOURCE]` (runpodctl's `template search`): the
 * templates whose name or image contains TERM, any case; yours and the whole catalog, or one
 * catalog source. v2 has no search parameter, so the lists are read and filtered here.
 */
export async function searchTemplates(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const { catalog } = f;
  const term = arg(ctx).toLowerCase();
  const api = await connectApi(ctx);
  const lists = await ctx.out.spin("Searching templates", () =>
    Promise.all(
      catalog === undefined
        ? [api.templates.list(), ...SOURCES.map((source) => api.catalog.templates({ source }))]
        : [api.catalog.templates({ source: catalog })],
    ),
  );
  const seen = new Set<string>();
  const found = lists
    .flat()
    .filter((t) => `${t.name}\n${t.image ?? ""}`.toLowerCase().includes(term))
    .filter((t) => !seen.has(t.id) && seen.add(t.id));
  ctx.out.table(
    page(found, f),
    templateColumns,
    `No template's name or image contains "${arg(ctx)}".`,
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
