import type { EndpointHealth } from "../../../protocol/status.js";
import type { CommandContext } from "../../context.js";
import { formatDetails } from "../../output/details.js";
import { connectEndpoint } from "./connect.js";

/** `runpod-ts endpoint health ENDPOINT_ID` */
export async function endpointHealth(ctx: CommandContext): Promise<void> {
  const { endpoint, endpointId } = await connectEndpoint(ctx);
  const health = await ctx.out.spin(`Fetching ${endpointId}'s health`, () => endpoint.health());
  ctx.out.data(health, (h) => healthDetails(h, ctx.out.style.bold));
}

function healthDetails({ jobs, workers }: EndpointHealth, label: (text: string) => string): string {
  return formatDetails(
    [
      [
        "Jobs",
        `${jobs.inQueue} queued, ${jobs.inProgress} in progress, ${jobs.completed} completed, ` +
          `${jobs.failed} failed, ${jobs.retried} retried`,
      ],
      [
        "Workers",
        `${workers.idle} idle, ${workers.running} running, ${workers.unhealthy} unhealthy, ` +
          `${workers.initializing} initializing, ${workers.ready} ready, ${workers.throttled} throttled`,
      ],
    ],
    label,
  );
}

/** `runpod-ts endpoint purge ENDPOINT_ID` */
export async function purgeQueue(ctx: CommandContext): Promise<void> {
  const { endpoint, endpointId } = await connectEndpoint(ctx);
  const result = await ctx.out.spin(`Purging ${endpointId}'s queue`, () => endpoint.purgeQueue());
  ctx.out.data(
    result,
    (r) => `Removed ${r.removed} queued job${r.removed === 1 ? "" : "s"} from ${endpointId}`,
  );
}
