import { type Command, Option } from "commander";
import type { ActionFactory } from "../context.js";
import { registerBatch } from "./batch.js";
import { BASE_URL_HELP } from "./options.js";

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
    .description("manage serverless endpoints and call them (run, runsync, status, stream, …)");
  addEndpointManagement(endpoint, action);
  addEndpointJobs(endpoint, action);
  registerBatch(endpoint, action);
}

function addEndpointManagement(endpoint: Command, action: ActionFactory): void {
  endpoint
    .command("workers")
    .description("list an endpoint's active workers and a count per status")
    .argument("<endpoint-id>", "the endpoint's id")
    .action(action(async (ctx) => (await import("./v2/resources.js")).endpointWorkers(ctx)));

  endpoint
    .command("releases")
    .description("list an endpoint's releases and the state of the rollout")
    .argument("<endpoint-id>", "the endpoint's id")
    .action(action(async (ctx) => (await import("./v2/resources.js")).endpointReleases(ctx)));

  endpoint
    .command("logs")
    .description("print one worker's log lines; -f keeps following")
    .argument("<endpoint-id>", "the endpoint's id")
    .argument("<worker-id>", "the worker's id (see `endpoint workers`)")
    .option("-f, --follow", "keep printing new lines until Ctrl-C")
    .option("--tail <n>", "lines of history first, 0 to 5000 (default 100)")
    .option("--source <source>", "container or system (default: both)")
    .option("--since <time>", "start at this RFC 3339 time instead of --tail")
    .action(action(async (ctx) => (await import("./v2/logs.js")).workerLogs(ctx)));

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

/** An `endpoint` subcommand that calls the endpoint's public API through `Endpoint`. */
function jobCommand(endpoint: Command, name: string, description: string): Command {
  return endpoint
    .command(name)
    .description(description)
    .argument("<endpoint-id>", "the endpoint's id")
    .option("--base-url <url>", BASE_URL_HELP);
}

function withInput(command: Command): Command {
  return command
    .option("--input <json>", "the job's input, as JSON")
    .option("--input-file <path>", "a JSON file holding the job's input");
}

function addEndpointJobs(endpoint: Command, action: ActionFactory): void {
  // A 401 from another server than Runpod's is about that server's key: say so (connect.ts).
  const call: ActionFactory = (run) =>
    action(async (ctx) => {
      try {
        await run(ctx);
      } catch (error) {
        throw (await import("./endpoint/connect.js")).explainRefusal(error, ctx);
      }
    });

  withInput(jobCommand(endpoint, "run", "submit a job and print its id without waiting"))
    .option("--webhook <url>", "URL the platform POSTs the result to")
    .option("--execution-timeout <seconds>", "the job's execution limit (policy.executionTimeout)")
    .option("--policy-ttl <seconds>", "the job's lifespan from submission (policy.ttl)")
    .option("--low-priority", "do not scale up workers for this job (policy.lowPriority)")
    .option("--policy <json>", "the whole policy as JSON, in milliseconds, as the API takes it")
    .action(call(async (ctx) => (await import("./endpoint/submit.js")).runJob(ctx)));

  withInput(jobCommand(endpoint, "runsync", "submit a job, wait for it and print its output"))
    .option("--timeout <seconds>", "give up waiting after this long (the job keeps running)")
    .action(call(async (ctx) => (await import("./endpoint/submit.js")).runJobSync(ctx)));

  jobCommand(endpoint, "status", "show a job's status (exit 1 once it failed or was cancelled)")
    .argument("<job-id>", "the job's id")
    .option("--wait", "wait until the job is final and print its output, like runsync")
    .option("--timeout <seconds>", "with --wait: give up waiting after this long")
    .action(call(async (ctx) => (await import("./endpoint/job.js")).jobStatus(ctx)));

  jobCommand(endpoint, "stream", "print a streaming job's outputs as they arrive")
    .argument("<job-id>", "the job's id")
    .action(call(async (ctx) => (await import("./endpoint/stream.js")).streamJob(ctx)));

  jobCommand(endpoint, "cancel", "cancel a queued or running job")
    .argument("<job-id>", "the job's id")
    .action(call(async (ctx) => (await import("./endpoint/job.js")).cancelJob(ctx)));

  jobCommand(endpoint, "retry", "queue a failed or timed-out job again under the same id")
    .argument("<job-id>", "the job's id")
    .action(call(async (ctx) => (await import("./endpoint/job.js")).retryJob(ctx)));

  jobCommand(endpoint, "health", "show the endpoint's job and worker counts").action(
    call(async (ctx) => (await import("./endpoint/queue.js")).endpointHealth(ctx)),
  );

  jobCommand(endpoint, "purge", "remove every queued job (running jobs continue)").action(
    call(async (ctx) => (await import("./endpoint/queue.js")).purgeQueue(ctx)),
  );
}
