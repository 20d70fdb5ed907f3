import { once } from "node:events";
import { createWriteStream } from "node:fs";
import * as z from "zod";
import { isTerminal } from "../../../protocol/job-states.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { textFlag } from "../../flags.js";
import { relativeTime } from "../../output/relative-time.js";
import { parseFlags } from "../../usage.js";
import { connectEndpoint } from "../endpoint/connect.js";
import { batchDetails, progressText } from "./format.js";

/** The endpoint of the first argument and the batch id of the second. */
async function batchArg(ctx: CommandContext) {
  const { batchId } = parseFlags(ctx, z.object({ batchId: textFlag() }), { batchId: ctx.args[1] });
  return { batchId, ...(await connectEndpoint(ctx)) };
}

/** `runpod-ts endpoint batch status ENDPOINT_ID BATCH_ID` */
export async function batchStatus(ctx: CommandContext): Promise<void> {
  const { batchId, endpoint } = await batchArg(ctx);
  const summary = await ctx.out.spin(`Fetching batch ${batchId}`, () =>
    endpoint.batches.get(batchId),
  );
  ctx.out.data(summary, (s) => batchDetails(s, ctx.out.style));
}

/** `runpod-ts endpoint batch list ENDPOINT_ID` */
export async function listBatches(ctx: CommandContext): Promise<void> {
  const { endpoint, endpointId } = await connectEndpoint(ctx);
  const batches = await ctx.out.spin(`Fetching ${endpointId}'s batches`, () =>
    endpoint.batches.list(),
  );
  ctx.out.table(
    batches,
    [
      { header: "ID", value: (b) => b.id },
      { header: "STATUS", value: (b) => b.status },
      { header: "REQUESTS", value: (b) => String(b.requestTotal), align: "right" },
      { header: "PROGRESS", value: progressText },
      { header: "CREATED", value: (b) => relativeTime(b.createdAt) },
    ],
    `No batches on ${endpointId}`,
  );
}

/** `runpod-ts endpoint batch cancel ENDPOINT_ID BATCH_ID` */
export async function cancelBatch(ctx: CommandContext): Promise<void> {
  const { batchId, endpoint } = await batchArg(ctx);
  const summary = await ctx.out.spin(`Cancelling batch ${batchId}`, () =>
    endpoint.batches.cancel(batchId),
  );
  ctx.out.data(summary, (s) =>
    s.status === "CANCELLED"
      ? `Cancelled batch ${s.id}`
      : `Cancelling batch ${s.id}: queued requests are cancelled; ${s.requestInProgress} running will finish first`,
  );
}

const resultsFlags = () => z.object({ out: z.string().min(1).optional() });

/**
 * `runpod-ts endpoint batch results ENDPOINT_ID BATCH_ID [--out FILE]`: every request with its
 * outcome, one JSON object per line, to FILE or stdout, a page at a time (never all in memory).
 */
export async function batchResults(ctx: CommandContext): Promise<void> {
  const { out } = parseFlags(ctx, resultsFlags(), ctx.options);
  const { batchId, endpoint } = await batchArg(ctx);
  const counts = { written: 0, completed: 0, failed: 0 };
  const file = out === undefined ? undefined : createWriteStream(out, { encoding: "utf8" });
  const opened = file && once(file, "open");
  try {
    await opened;
  } catch (error) {
    throw new CliError(`cannot write ${out}: ${(error as Error).message}`);
  }
  await ctx.out.spin(`Fetching the results of batch ${batchId}`, async (update) => {
    try {
      for await (const r of endpoint.batches.results(batchId, { pageSize: 500 })) {
        const line = JSON.stringify(r);
        if (!file) ctx.out.print(line);
        else if (!file.write(`${line}\n`)) await once(file, "drain");
        counts.written++;
        if (r.status === "COMPLETED") counts.completed++;
        else if (isTerminal(r.status)) counts.failed++;
        update(`Fetching the results of batch ${batchId} (${counts.written})`);
      }
    } finally {
      if (file) {
        file.end();
        await once(file, "close");
      }
    }
  });
  if (!file) return;
  ctx.out.data(
    { path: out, ...counts },
    (c) =>
      `Wrote ${c.written} results to ${c.path} (${c.completed} completed, ${c.failed} failed or cancelled)`,
  );
}
