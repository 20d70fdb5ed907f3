import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { UsageError } from "../../errors.js";
import { textFlag } from "../../flags.js";
import { orMissing } from "../../not-found.js";
import { parseFlags } from "../../usage.js";
import { arg } from "../v2/show.js";
import { TEMPLATE_HINT } from "./format.js";
import { settingFields, settingFlags } from "./settings.js";

const flags = z
  .object({ ...settingFlags, name: textFlag().optional() })
  // PATCH replaces the mount whole and cannot remove it, so size and path come together.
  .refine((f) => (f.volume === undefined) === (f.volumePath === undefined), {
    message: "give --volume and --volume-path together (the volume is replaced whole)",
    path: ["volume"],
  })
  .refine((f) => f.volume !== 0, {
    message: "a template's volume cannot be removed, only resized (at least 10 GB)",
    path: ["volume"],
  });

/** `runpod-ts template update ID [--name] [--image] …` (`PATCH /v2/templates/{id}`) */
export async function updateTemplate(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const id = arg(ctx);
  const patch = { ...settingFields(f), ...(f.name === undefined ? {} : { name: f.name }) };
  if (Object.keys(patch).length === 0) {
    throw new UsageError("nothing to change: give at least one option", ctx.command);
  }
  const api = await connectApi(ctx);
  const template = await ctx.out.spin(`Updating template ${id}`, () =>
    orMissing(api.templates.update(id, patch), `No template "${id}" of yours`, TEMPLATE_HINT),
  );
  ctx.out.data(
    template,
    (t) =>
      `Updated template ${t.name} (${t.id}); pods and endpoints made from it keep their settings`,
  );
}
