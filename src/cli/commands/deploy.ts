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
    .option("--workers-max <n>", "most workers at once (at least --workers-min)")
    .option("--env <KEY=VALUE>", "environment variable (repeatable)", collect)
    .option("--container-disk <gb>", "container disk size in GB", "10")
    .addHelpText(
      "after",
      `
A new endpoint (type QUEUE) runs the image on AMPERE_16, 1 GPU, 0-3 workers unless told otherwise
(--workers-min above 3 alone raises the most workers to it). When an endpoint with this name
exists, it gets the image (a new release its workers move to as they are replaced) and the
container disk; --gpu, --gpu-count, --workers-* and --env change only what they name (--env
replaces the whole environment; --workers-min above its most workers raises that too). No
template is made.
Prints the endpoint's run, runsync and health URLs (base: RUNPOD_ENDPOINT_BASE_URL if set).`,
    )
    .action(action(async (ctx) => (await import("./deploy/run.js")).deploy(ctx)));
}
