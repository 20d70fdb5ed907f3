import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { settingFields, settingFlags } from "./settings.js";

const flags = z
  .object({
    ...settingFlags,
    name: textFlag(),
    image: textFlag(),
    serverless: z.boolean().default(false),
    public: z.boolean().default(false),
    category: z.enum(["NVIDIA", "AMD", "CPU"]).optional(),
  })
  .refine((f) => f.volumePath === undefined || (f.volume ?? 0) > 0, {
    message: "needs --volume GB (at least 10)",
    path: ["volumePath"],
  });

/** `runpod-ts template create --name N --image I …` (`POST /v2/templates`) */
export async function createTemplate(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const template = await ctx.out.spin(`Creating template ${f.name}`, () =>
    api.templates.create({
      ...settingFields(f, "/workspace"),
      name: f.name,
      image: f.image,
      serverless: f.serverless,
      ...(f.public ? { public: true } : {}),
      ...(f.category === undefined ? {} : { category: f.category }),
    }),
  );
  const kind = template.serverless ? "serverless template" : "pod template";
  ctx.out.data(template, (t) => `Created ${kind} ${t.name} (${t.id})`);
}
