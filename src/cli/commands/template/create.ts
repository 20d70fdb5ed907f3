import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { envFlag, intFlag, textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";

const flags = z.object({
  name: textFlag,
  image: textFlag,
  serverless: z.boolean().default(false),
  startCmd: z.string().optional(),
  containerDisk: intFlag(1),
  volume: intFlag(0),
  volumePath: textFlag.optional(),
  ports: textFlag.optional(),
  env: envFlag.optional(),
  registryAuthId: textFlag.optional(),
  readme: z.string().optional(),
});

/** `runpod-ts template create --name N --image I …` */
export async function createTemplate(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const template = await ctx.out.spin(`Creating template ${f.name}`, () =>
    api.graphql.createTemplate({
      name: f.name,
      imageName: f.image,
      isServerless: f.serverless,
      dockerStartCmd: f.startCmd,
      containerDiskInGb: f.containerDisk,
      volumeInGb: f.volume,
      volumeMountPath: f.volumePath,
      ports: f.ports,
      env: f.env,
      registryAuthId: f.registryAuthId,
      readme: f.readme,
    }),
  );
  const kind = template.isServerless ? "serverless template" : "pod template";
  ctx.out.data(template, (t) => `Created ${kind} ${t.name ?? f.name} (${t.id ?? "no id"})`);
}
