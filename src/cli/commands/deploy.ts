import type { Command } from "commander";
import type { ActionFactory } from "../context.js";
import { collect } from "./options.js";

export function registerDeploy(program: Command, action: ActionFactory): void {
  program
    .command("deploy")
    .description("deploy an image as a serverless endpoint, or update the endpoint of that name")
    .requiredOption("--image <image>", "the worker's container image, already pushed")
    .option("--name <name>", "the endpoint's name (default: from the image, e.g. my-worker)")
    .option("--gpu <pools>", 'GPU pool ids, comma-separated, e.g. "AMPERE_16,ADA_24"')
    .option("--gpu-count <n>", "GPUs per worker")
    .option("--workers-min <n>", "workers kept running")
    .option("--workers-max <n>", "most workers at once")
    .option("--env <KEY=VALUE>", "environment variable (repeatable)", collect)
    .option("--container-disk <gb>", "container disk size in GB", "10")
    .addHelpText(
      "after",
      `
A new endpoint gets a new serverless template and AMPERE_16, 1 GPU, 0-3 workers unless told
otherwise. When an endpoint with this name exists, a new template is created and the endpoint
switched to it; --gpu, --gpu-count and --workers-* then change only what they name.
Prints the endpoint's run, runsync and health URLs (base: RUNPOD_ENDPOINT_BASE_URL if set).`,
    )
    .action(action(async (ctx) => (await import("./deploy/run.js")).deploy(ctx)));
}
