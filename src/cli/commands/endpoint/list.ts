import * as z from "zod";
import type { RunpodApi } from "../../../api/client.js";
import type { Endpoint, ListEndpointWorkersResponse } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { orMissing } from "../../not-found.js";
import { formatDetails } from "../../output/details.js";
import type { Column } from "../../output/table.js";
import { parseFlags } from "../../usage.js";
import { arg } from "../v2/show.js";
import { ENDPOINT_HINT, endpointColumns, endpointDetails, workersText } from "./format.js";

/**
 * runpodctl's `--include-workers` and `--include-template`. REST v2 lists an endpoint's active
 * workers separately (`GET /v2/serverless/{id}/workers`, one more request per endpoint), and keeps
 * no link from an endpoint to a template (a template's settings are copied once), so the second is
 * refused with where to look instead.
 */
const flags = z.object({
  includeWorkers: z.boolean().optional(),
  includeTemplate: z
    .undefined({
      error:
        "REST v2 endpoints keep no link to a template (its settings are copied into the endpoint once); `endpoint get` shows the endpoint's image, env and ports, `template get ID` a template's",
    })
    .optional(),
});

/** An endpoint with its active workers (`--include-workers`): `workers` is its scaling range. */
type WithWorkers = Endpoint & { activeWorkers: ListEndpointWorkersResponse };

async function withWorkers(api: RunpodApi, e: Endpoint): Promise<WithWorkers> {
  return { ...e, activeWorkers: await api.endpoints.workers(e.id) };
}

const activeColumns: Column<WithWorkers>[] = [
  ...endpointColumns,
  { header: "ACTIVE", value: (e) => String(e.activeWorkers.summary.total), align: "right" },
  { header: "RUNNING", value: (e) => String(e.activeWorkers.summary.running), align: "right" },
];

const NO_ENDPOINTS =
  "No endpoints. Create one with `runpod-ts endpoint create` or `runpod-ts deploy --image IMAGE`.";

/** `runpod-ts endpoint list [--include-workers]` */
export async function listEndpoints(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const endpoints = await ctx.out.spin("Fetching endpoints", () => api.endpoints.list());
  if (!f.includeWorkers) {
    ctx.out.table(endpoints, endpointColumns, NO_ENDPOINTS);
    return;
  }
  const rows = await ctx.out.spin("Fetching workers", () =>
    Promise.all(endpoints.map((e) => withWorkers(api, e))),
  );
  ctx.out.table(rows, activeColumns, NO_ENDPOINTS);
}

/** `runpod-ts endpoint get ENDPOINT_ID [--include-workers]`: its settings and its URLs. */
export async function getEndpoint(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const id = arg(ctx);
  const api = await connectApi(ctx);
  const endpoint = await ctx.out.spin("Fetching endpoint", async () => {
    const e = await orMissing(
      api.endpoints.get(id),
      `No endpoint "${id}" on this account`,
      ENDPOINT_HINT,
    );
    return f.includeWorkers ? withWorkers(api, e) : e;
  });
  ctx.out.data(endpoint, (e) => {
    const details = formatDetails(endpointDetails(e), ctx.out.style.bold);
    return "activeWorkers" in e ? `${details}\n\n${workersText(e.activeWorkers)}` : details;
  });
}
