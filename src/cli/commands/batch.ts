import type { Command } from "commander";
import type { ActionFactory } from "../context.js";
import { BASE_URL_HELP } from "./options.js";

/** A `batch` subcommand of one endpoint. */
function batchCommand(batch: Command, name: string, description: string): Command {
  return batch
    .command(name)
    .description(description)
    .argument("<endpoint-id>", "the endpoint's id")
    .option("--base-url <url>", BASE_URL_HELP);
}

/**
 * `runpod-ts endpoint batch …`: Batch Jobs (beta), many inputs run as one unit. Declarations only;
 * implementations in `batch/`, loaded when a command runs.
 */
export function registerBatch(endpoint: Command, action: ActionFactory): void {
  const batch = endpoint
    .command("batch")
    .description("run many inputs as one batch (beta): submit, status, results, cancel, list");

  batchCommand(batch, "submit", "submit a JSONL file of inputs as a batch and wait for it")
    .requiredOption("--file <path>", "one job input (a JSON object) per line")
    .option("--no-wait", "print the batch id once it is finalized, without waiting")
    .action(action(async (ctx) => (await import("./batch/submit.js")).submitBatch(ctx)));

  batchCommand(batch, "status", "show a batch's status and request counts")
    .argument("<batch-id>", "the batch's id")
    .action(action(async (ctx) => (await import("./batch/inspect.js")).batchStatus(ctx)));

  batchCommand(batch, "results", "write every request's outcome as JSON lines")
    .argument("<batch-id>", "the batch's id")
    .option("--out <path>", "write to this file instead of stdout")
    .action(action(async (ctx) => (await import("./batch/inspect.js")).batchResults(ctx)));

  batchCommand(batch, "cancel", "cancel a batch: queued requests now, running ones when they end")
    .argument("<batch-id>", "the batch's id")
    .action(action(async (ctx) => (await import("./batch/inspect.js")).cancelBatch(ctx)));

  batchCommand(batch, "list", "list the endpoint's batches, newest first").action(
    action(async (ctx) => (await import("./batch/inspect.js")).listBatches(ctx)),
  );
}
