import * as z from "zod";
import type { BatchSummary } from "../../../protocol/batch.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { parseFlags } from "../../usage.js";
import { connectEndpoint } from "../endpoint/connect.js";
import { batchDetails, progressText } from "./format.js";
import { readJsonl } from "./jsonl.js";

/** Lines sent per call (the client splits further at 10 MiB), so memory holds one group at most. */
const GROUP = 1_000;

const flags = z.object({ file: z.string().min(1), wait: z.boolean() });

/**
 * `runpod-ts endpoint batch submit ENDPOINT_ID --file inputs.jsonl`: checks every line, creates the
 * batch, finalizes it, then waits with a progress bar (on a terminal) and prints its summary. Exits
 * 1 when a request failed or the batch did not finish, so scripts can tell.
 */
export async function submitBatch(ctx: CommandContext): Promise<void> {
  const { file, wait } = parseFlags(ctx, flags, ctx.options);
  // Every line is checked before anything is created: a bad line 4 000 must not leave half a batch.
  let count = 0;
  await ctx.out.spin(`Checking ${file}`, async () => {
    for await (const _ of readJsonl(file)) count++;
  });
  if (count === 0) throw new CliError(`${file} holds no inputs`, "write one job input per line");
  const { endpoint, endpointId } = await connectEndpoint(ctx);

  let id: string | undefined;
  let sent = 0;
  await ctx.out.spin(`Uploading ${count} inputs`, async (update) => {
    let group: unknown[] = [];
    const flush = async () => {
      if (id === undefined) id = (await endpoint.batches.create(group)).id;
      else await endpoint.batches.append(id, group);
      sent += group.length;
      group = [];
      update(`Uploading inputs (${sent}/${count})`);
    };
    try {
      for await (const { input } of readJsonl(file)) {
        group.push(input);
        if (group.length >= GROUP) await flush();
      }
      if (group.length > 0) await flush();
    } catch (error) {
      if (id === undefined) throw error;
      throw new CliError(
        `batch ${id} was created, but uploading stopped after ${sent} of ${count} inputs: ${(error as Error).message}`,
        `it is a DRAFT and never runs; remove it with \`runpod-ts endpoint batch cancel ${endpointId} ${id}\``,
        { cause: error },
      );
    }
  });
  const batchId = id as string;
  const finalized = await ctx.out.spin("Finalizing", () => endpoint.batches.finalize(batchId));
  const next = [
    `Status:   runpod-ts endpoint batch status ${endpointId} ${batchId}`,
    `Results:  runpod-ts endpoint batch results ${endpointId} ${batchId} --out results.jsonl`,
  ];
  if (!wait) {
    ctx.out.data(finalized, (s) =>
      [`Submitted batch ${s.id} with ${s.requestTotal} requests`, "", ...next].join("\n"),
    );
    return;
  }
  const bar = ctx.out.progress();
  let summary: BatchSummary;
  try {
    summary = await endpoint.batches.wait(batchId, {
      onProgress: (s) =>
        bar.update(s.requestCompleted + s.requestFailed, s.requestTotal, progressText(s)),
    });
  } finally {
    bar.stop();
  }
  ctx.out.data(summary, (s) => `${batchDetails(s, ctx.out.style)}\n\n${next[1]}`);
  if (summary.status !== "FINALIZED") {
    throw new CliError(`batch ${batchId} ended ${summary.status}`);
  }
  if (summary.requestFailed > 0) {
    throw new CliError(
      `${summary.requestFailed} of ${summary.requestTotal} requests of batch ${batchId} failed`,
      `their errors are in \`runpod-ts endpoint batch results ${endpointId} ${batchId}\``,
    );
  }
}
