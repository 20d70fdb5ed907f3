import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

export function registerTest(program: Command, action: ActionFactory): void {
  program
    .command("test")
    .description("run one job through a worker locally (no platform) and exit 0 or 1")
    .argument("<worker-file>", "a worker (.js, .mjs, .cjs, or .ts/.mts/.cts through tsx)")
    .option(
      "--input <json>",
      "the job's input, as JSON (default: test_input.json in this directory)",
    )
    .option("--input-file <path>", "a JSON file holding the job's input")
    .action(action(async (ctx) => (await import("./test/run.js")).testWorker(ctx)));
}
