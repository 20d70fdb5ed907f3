import { type Command, Option } from "commander";
import type { ActionFactory } from "../context.js";

/**
 * `runpod-ts endpoint …`: one group, two families of subcommands. Managing endpoints goes through
 * the cloud API (`RunpodApi`) and is declared in `addEndpointManagement`; calling an endpoint
 * (run, runsync, status, stream, cancel, retry, health, purge) goes through the `Endpoint` client
 * and gets its own `add…` function next to it, registered here, with implementations in
 * `endpoint/` like the others.
 */
export function registerEndpoint(program: Command, action: ActionFactory): void {
  const endpoint = program
    .command("endpoint")
    .description("manage serverless endpoints (list, create, delete)");
  addEndpointManagement(endpoint, action);
}

function addEndpointManagement(endpoint: Command, action: ActionFactory): void {
  endpoint
    .command("list")
    .description("list your serverless endpoints")
    .action(action(async (ctx) => (await import("./endpoint/list.js")).listEndpoints(ctx)));

  endpoint
    .command("create")
    .description(
      "create a serverless endpoint from a template (see `template create --serverless`)",
    )
    .requiredOption("--name <name>", "the endpoint's name")
    .requiredOption("--template-id <id>", "a serverless template")
    .option("--gpu <pools>", 'GPU pool ids, comma-separated, e.g. "AMPERE_16,ADA_24"', "AMPERE_16")
    .option("--gpu-count <n>", "GPUs per worker", "1")
    .option("--workers-min <n>", "workers kept running", "0")
    .option("--workers-max <n>", "most workers at once", "3")
    .option("--idle-timeout <seconds>", "how long an idle worker stays up", "5")
    .addOption(
      new Option("--scaler <type>", "scale on seconds waited or on queued requests")
        .choices(["QUEUE_DELAY", "REQUEST_COUNT"])
        .default("QUEUE_DELAY"),
    )
    .option("--scaler-value <n>", "seconds of queue delay, or requests per worker", "4")
    .option("--flashboot", "turn on FlashBoot")
    .option("--execution-timeout <seconds>", "a job's time limit")
    .option("--network-volume-id <id>", "attach a network volume")
    .option("--locations <ids>", "data centres or countries to run in")
    .option("--cuda <versions>", 'allowed CUDA versions, e.g. "12.4,12.5"')
    .option("--min-cuda <version>", "minimum CUDA version")
    .action(action(async (ctx) => (await import("./endpoint/create.js")).createEndpoint(ctx)));

  endpoint
    .command("delete")
    .description("delete an endpoint (scaling its workers to 0 first, as the API requires)")
    .argument("<endpoint-id>", "the endpoint's id")
    .action(action(async (ctx) => (await import("./endpoint/delete.js")).deleteEndpoint(ctx)));
}
