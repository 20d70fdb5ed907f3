import * as z from "zod";
import type { UpdateEndpointRequest } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { UsageError } from "../../errors.js";
import { textFlag } from "../../flags.js";
import { orMissing } from "../../not-found.js";
import { parseFlags } from "../../usage.js";
import { arg } from "../v2/show.js";
import { ENDPOINT_HINT } from "./format.js";
import {
  checkEndpointRules,
  checkScalerValue,
  endpointFields,
  endpointFlags,
  scaling,
  workersFor,
} from "./settings.js";

const flags = z.object({ ...endpointFlags, name: textFlag().optional() }).superRefine((f, ctx) => {
  checkEndpointRules(f, ctx);
  checkScalerValue(f.scaler, f.scalerValue, ctx);
  // A scaler without its value (or the reverse) would leave v2 guessing the other half.
  if ((f.scaler === undefined) !== (f.scalerValue === undefined)) {
    ctx.addIssue({
      code: "custom",
      message: "give --scaler and --scaler-value together",
      path: ["scaler"],
    });
  }
});

/** `runpod-ts endpoint update ENDPOINT_ID [--name] [--image] [--workers-max] …` (`PATCH`) */
export async function updateEndpoint(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const id = arg(ctx);
  const patch: UpdateEndpointRequest = {
    ...endpointFields(f),
    ...(f.name === undefined ? {} : { name: f.name }),
    ...(f.scaler === undefined || f.scalerValue === undefined
      ? {}
      : { scaling: scaling(f.scaler, f.scalerValue) }),
  };
  if (Object.keys(patch).length === 0) {
    throw new UsageError("nothing to change: give at least one option", ctx.command);
  }
  const api = await connectApi(ctx);
  const missing = `No endpoint "${id}" on this account`;
  const endpoint = await ctx.out.spin(`Updating endpoint ${id}`, async () => {
    if (f.workersMin !== undefined && f.workersMax === undefined) {
      // A new minimum above the endpoint's most workers raises that too: read it first.
      const current = await orMissing(api.endpoints.get(id), missing, ENDPOINT_HINT);
      const lifted = workersFor(f, current.workers.max);
      if (lifted !== undefined) patch.workers = { ...patch.workers, ...lifted };
    }
    return orMissing(api.endpoints.update(id, patch), missing, ENDPOINT_HINT);
  });
  const rollout = ["image", "env", "ports", "templateId"].some((k) => k in patch)
    ? "; workers move to the new release as they are replaced (see `runpod-ts endpoint releases`)"
    : "";
  ctx.out.data(endpoint, (e) => `Updated endpoint ${e.name} (${e.id})${rollout}`);
}
