import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { textFlag } from "../../flags.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";
import { requestUrlRows } from "./format.js";
import { checkEndpointRules, checkScalerValue, endpointFlags, newEndpoint } from "./settings.js";

const flags = z
  .object({
    ...endpointFlags,
    name: textFlag(),
    type: z.enum(["QUEUE", "LOAD_BALANCER"]),
  })
  .superRefine((f, ctx) => {
    checkEndpointRules(f, ctx);
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", message, path: [path] });
    if (f.templateId === undefined && f.image === undefined) {
      issue("templateId", "give --template-id or --image (or both: the flags win)");
    }
    if (f.type === "LOAD_BALANCER" && f.scaler === "QUEUE_DELAY") {
      issue("scaler", "a LOAD_BALANCER endpoint scales on REQUEST_COUNT");
    }
    if (f.type === "QUEUE" && f.scaler === "REQUEST_COUNT" && f.idleTimeout !== undefined) {
      issue("idleTimeout", "a QUEUE endpoint scaling on REQUEST_COUNT has no idle timeout");
    }
    const scaler = f.scaler ?? (f.type === "LOAD_BALANCER" ? "REQUEST_COUNT" : "QUEUE_DELAY");
    checkScalerValue(scaler, f.scalerValue, ctx);
  });

/** `runpod-ts endpoint create --name N --template-id T | --image I …` (`POST /v2/serverless`) */
export async function createEndpoint(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const input = newEndpoint(f);
  const api = await connectApi(ctx);
  const endpoint = await ctx.out.spin(`Creating endpoint ${f.name}`, () =>
    api.endpoints.create(input),
  );
  ctx.out.data(endpoint, (e) =>
    [
      `Created ${e.type ?? f.type} endpoint ${e.name} (${e.id})`,
      "",
      formatDetails(requestUrlRows(e), ctx.out.style.bold),
    ].join("\n"),
  );
}
