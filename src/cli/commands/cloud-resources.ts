import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

const impl = () => import("./v2/resources.js");

/**
 * The REST v2 resources that had no command before: `network-volume`, `registry`, `datacenter`,
 * `billing` and `cluster` (runpodctl v2's set, plus clusters). Each action loads its
 * implementation on use, as every group does.
 */
export function registerCloudResources(program: Command, action: ActionFactory): void {
  const volume = program
    .command("network-volume")
    .description("list, create, resize and delete network volumes");
  volume
    .command("list")
    .description("list your network volumes")
    .action(action(async (ctx) => (await impl()).listVolumes(ctx)));
  volume
    .command("get")
    .argument("<volume-id>", "the volume's id")
    .description("show one network volume")
    .action(action(async (ctx) => (await impl()).getVolume(ctx)));
  volume
    .command("create")
    .description("create a network volume (billed per GB)")
    .requiredOption("--name <name>", "the volume's name")
    .requiredOption("--size <gb>", "size in GB, 10 to 4096")
    .requiredOption("--data-center <id>", 'data center, e.g. "EU-RO-1" (see `datacenter list`)')
    .option("--type <type>", "STANDARD or HIGH_PERFORMANCE (default: the data center's)")
    .action(action(async (ctx) => (await impl()).createVolume(ctx)));
  volume
    .command("update")
    .argument("<volume-id>", "the volume's id")
    .description("rename a network volume or grow it (it never shrinks)")
    .option("--name <name>", "a new name")
    .option("--size <gb>", "a larger size in GB")
    .action(action(async (ctx) => (await impl()).updateVolume(ctx)));
  volume
    .command("delete")
    .argument("<volume-id>", "the volume's id")
    .description("delete a network volume and its data")
    .action(action(async (ctx) => (await impl()).deleteVolume(ctx)));

  const registry = program
    .command("registry")
    .description("credentials for private container registries");
  registry
    .command("list")
    .description("list your registry credentials (names only)")
    .action(action(async (ctx) => (await impl()).listRegistries(ctx)));
  registry
    .command("get")
    .argument("<registry-id>", "the credential's id")
    .description("show one registry credential")
    .action(action(async (ctx) => (await impl()).getRegistry(ctx)));
  registry
    .command("create")
    .description("save a registry username and password; the password is read from stdin")
    .requiredOption("--name <name>", "a name for these credentials")
    .requiredOption("--username <user>", "the registry username")
    .action(action(async (ctx) => (await impl()).createRegistry(ctx)));
  registry
    .command("delete")
    .argument("<registry-id>", "the credential's id")
    .description("delete registry credentials (refused while a pod uses them)")
    .action(action(async (ctx) => (await impl()).deleteRegistry(ctx)));

  program
    .command("datacenter")
    .description("Runpod's data centers")
    .command("list")
    .description("list data centers: region, global networking, volume types")
    .action(action(async (ctx) => (await impl()).listDataCenters(ctx)));

  const billing = program
    .command("billing")
    .description("spend history in USD, bucketed (the last 30 days by day, unless told)");
  for (const [view, what] of [
    ["summary", "everything together"],
    ["pods", "pods (--id: one pod)"],
    ["serverless", "serverless endpoints (--id: one endpoint)"],
    ["endpoints", "Public Endpoints (Runpod's hosted models)"],
    ["network-volumes", "network volumes (--id: one volume)"],
    ["clusters", "clusters (--id: one cluster)"],
  ] as const) {
    billing
      .command(view)
      .description(`spend on ${what}`)
      .option("--start <time>", "from this RFC 3339 time")
      .option("--end <time>", "until this RFC 3339 time (exclusive)")
      .option("--bucket <size>", "hour, day, week, month or year")
      .option("--last <n>", "the last N buckets (instead of --start/--end)")
      .option("--id <id>", "one resource only")
      .action(action(async (ctx) => (await impl()).billing(ctx, view)));
  }

  const cluster = program.command("cluster").description("multi-node GPU clusters");
  cluster
    .command("list")
    .description("list your clusters")
    .action(action(async (ctx) => (await impl()).listClusters(ctx)));
  cluster
    .command("get")
    .argument("<cluster-id>", "the cluster's id")
    .description("show one cluster")
    .action(action(async (ctx) => (await impl()).getCluster(ctx)));
  cluster
    .command("pods")
    .argument("<cluster-id>", "the cluster's id")
    .description("list a cluster's pods")
    .action(action(async (ctx) => (await impl()).clusterPods(ctx)));
  cluster
    .command("create")
    .description("create a cluster of identical GPU pods")
    .requiredOption("--name <name>", "the cluster's name")
    .requiredOption("--type <type>", "APPLICATION, TRAINING, SLURM or RAY")
    .requiredOption("--gpu <gpu-type-id>", 'GPU type, e.g. "NVIDIA H100 80GB HBM3"')
    .requiredOption("--gpus-per-pod <n>", "GPUs in each pod")
    .requiredOption("--pods <n>", "pods, 2 to 250")
    .option("--image <image>", "container image")
    .action(action(async (ctx) => (await impl()).createCluster(ctx)));
  cluster
    .command("delete")
    .argument("<cluster-id>", "the cluster's id")
    .description("delete a cluster and all its pods")
    .action(action(async (ctx) => (await impl()).deleteCluster(ctx)));
}
