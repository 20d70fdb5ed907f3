import { type Command, Option } from "commander";
import type { ActionFactory } from "../context.js";
import { registerBatch } from "./batch.js";
import { BASE_URL_HELP, collect } from "./options.js";

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
    // runpodctl v2 calls this group `serverless`: its users' muscle memory works here too.
    .alias("serverless")
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

  includeOptions(endpoint.command("list").description("list your serverless endpoints")).action(
    action(async (ctx) => (await import("./endpoint/list.js")).listEndpoints(ctx)),
  );

  includeOptions(
    endpoint
      .command("get")
      .description("show an endpoint's settings and its URLs")
      .argument("<endpoint-id>", "the endpoint's id"),
  ).action(action(async (ctx) => (await import("./endpoint/list.js")).getEndpoint(ctx)));

  endpointOptions(
    endpoint
      .command("create")
      .description("create a serverless endpoint from a template or an image")
      .requiredOption("--name <name>", "the endpoint's name")
      .addOption(
        new Option("--type <type>", "QUEUE (jobs: run, runsync, …) or LOAD_BALANCER (plain HTTP)")
          .choices(["QUEUE", "LOAD_BALANCER"])
          .default("QUEUE"),
      )
      .option("--workers-min <n>", "workers kept running (default 0)")
      .option("--workers-max <n>", "most workers at once (default 3, or --workers-min if more)")
      .option(
        "--scaler-value <n>",
        "seconds of queue delay (0.5 or more), or whole requests per worker",
        "4",
      )
      .option("--flashboot", "turn on FlashBoot"),
  )
    .addHelpText(
      "after",
      `
Without --cpu, workers get --gpu AMPERE_16 and 1 GPU. The scaler is QUEUE_DELAY for a QUEUE
endpoint and REQUEST_COUNT (the only one allowed) for a LOAD_BALANCER one; the idle timeout is 5 s,
except for a QUEUE endpoint scaling on REQUEST_COUNT, which has none. --locations takes data center
ids (\`runpod-ts datacenter list\`); country codes have no REST v2 equivalent. Prints the
endpoint's URLs: run, runSync, … for a queue, base and health for a load balancer.`,
    )
    .action(action(async (ctx) => (await import("./endpoint/create.js")).createEndpoint(ctx)));

  endpointOptions(
    endpoint
      .command("update")
      .description("change an endpoint's settings (the type cannot change)")
      .argument("<endpoint-id>", "the endpoint's id")
      .option("--name <name>", "a new name")
      .option("--workers-min <n>", "workers kept running (raises the most workers if below it)")
      .option("--workers-max <n>", "most workers at once")
      .option(
        "--scaler-value <n>",
        "with --scaler: seconds of queue delay (0.5 or more), or whole requests per worker",
      )
      .option("--flashboot", "turn on FlashBoot")
      .option("--no-flashboot", "turn off FlashBoot"),
  )
    .addHelpText(
      "after",
      `
Only the options given change. --template-id copies the template's container settings once (no
lasting link); --image, --env, --ports and --template-id start a new release that workers move to
as they are replaced. --env replaces the whole environment. --gpu replaces the pools.`,
    )
    .action(action(async (ctx) => (await import("./endpoint/update.js")).updateEndpoint(ctx)));

  endpoint
    .command("delete")
    .description("delete an endpoint: its workers stop and its queued jobs are cancelled")
    .argument("<endpoint-id>", "the endpoint's id")
    .action(action(async (ctx) => (await import("./endpoint/delete.js")).deleteEndpoint(ctx)));
}

/** runpodctl's `--include-*` options of `endpoint list` and `get` (`endpoint/list.ts`). */
function includeOptions(command: Command): Command {
  return (
    command
      .option("--include-workers", "also show the active workers (one more request per endpoint)")
      // REST v2 keeps no endpoint → template link: hidden, and refused with where to look instead.
      .addOption(new Option("--include-template").hideHelp())
  );
}

/** The options `endpoint create` and `endpoint update` share (`endpoint/settings.ts` maps them). */
function endpointOptions(command: Command): Command {
  return command
    .option("--template-id <id>", "a serverless template to copy the container settings from")
    .option("--image <image>", "the worker's container image (instead of, or over, the template's)")
    .option("--gpu <pools>", 'GPU pool ids, comma-separated, e.g. "AMPERE_16,ADA_24"')
    .option("--gpu-count <n>", "GPUs per worker (default 1)")
    .option("--cpu <flavors>", 'CPU workers instead of GPUs: FLAVOR:VCPUS, e.g. "cpu5c:4"')
    .option("--idle-timeout <seconds>", "how long an idle worker stays up, 1 to 3600")
    .addOption(
      new Option("--scaler <type>", "scale on seconds waited or on requests per worker").choices([
        "QUEUE_DELAY",
        "REQUEST_COUNT",
      ]),
    )
    .option("--execution-timeout <seconds>", "a job's (or request's) time limit")
    .option("--network-volume-id <ids>", "attach network volumes (comma-separated)")
    .option("--locations <ids>", 'data center ids, comma-separated, e.g. "EU-RO-1,US-KS-2"')
    .option("--cuda <versions>", 'allowed CUDA versions, e.g. "12.4,12.8"')
    .option("--min-cuda <version>", "minimum CUDA version, e.g. 12.4")
    .option("--env <KEY=VALUE>", "environment variable (repeatable)", collect)
    .option("--ports <ports>", 'exposed ports, e.g. "8000/http"');
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
