import { type Command, Option } from "commander";
import type { ActionFactory } from "../context.js";
import { collect } from "./options.js";

export function registerPod(program: Command, action: ActionFactory): void {
  const pod = program
    .command("pod")
    .description("list, create, stop, start and reach your pods (REST v2)");

  pod
    .command("list")
    .description("list your pods")
    .option("--status <statuses>", "only pods in these states, e.g. RUNNING,EXITED")
    .option("--name <text>", "only pods whose name contains this")
    .addOption(new Option("--compute-type <type>", "only GPU or CPU pods").choices(["GPU", "CPU"]))
    .option("--include-cluster-pods", "also the pods of your clusters")
    .action(action(async (ctx) => (await import("./pod/list.js")).listPods(ctx)));

  pod
    .command("get")
    .description("show one pod, with its ports")
    .argument("<pod-id>", "the pod's id")
    .action(action(async (ctx) => (await import("./pod/get.js")).getPod(ctx)));

  pod
    .command("create")
    .description("deploy an on-demand pod: a GPU pod with --gpu, else a CPU pod")
    .option("--name <name>", "the pod's name", "runpod-ts-pod")
    .option("--image <image>", "container image (this or --template-id is required)")
    .option("--template-id <id>", "pod template to start from (its settings, overridden by flags)")
    .option("--gpu <gpu-type-id>", 'GPU type id, e.g. "NVIDIA GeForce RTX 4090" (see `gpu list`)')
    .option("--gpu-count <n>", "GPUs (GPU pods)", "1")
    .option(
      "--instance-id <id>",
      'CPU flavor and vCPUs, e.g. "cpu3c-2-4" (CPU pods; default cpu3c-2)',
    )
    .option("--cloud-type <type>", "SECURE (default) or COMMUNITY")
    .option("--data-center-id <ids>", 'preferred data centers, e.g. "EU-RO-1,US-KS-2"')
    .option("--no-ssh", "do not start the SSH server (it needs the account's keys: `ssh add-key`)")
    .option("--jupyter", "start JupyterLab (images that support it; expose 8888/http)")
    .option("--global-networking", "a private IP reachable across data centers (NVIDIA GPU pods)")
    .option("--container-disk <gb>", "container disk size in GB (default 10, or the template's)")
    .option("--volume <gb>", "persistent volume size in GB, at least 10 (GPU pods)", "0")
    .option("--volume-path <path>", "where the volume is mounted", "/runpod-volume")
    .option("--network-volume-id <id>", "attach a network volume (the pod runs in its data center)")
    .option("--ports <ports>", 'exposed ports, e.g. "8888/http,22/tcp"')
    .option("--env <KEY=VALUE>", "environment variable (repeatable)", collect)
    .option("--docker-args <command>", "arguments for the image's entrypoint")
    .option("--cuda <versions>", 'allowed CUDA versions, e.g. "12.4,12.8" (GPU pods)')
    .option("--min-cuda <version>", 'minimum CUDA version, e.g. "12.1" (GPU pods)')
    .option("--registry-auth-id <id>", "registry credentials for a private image (`registry list`)")
    // GraphQL inputs REST v2 cannot express: hidden, and refused with the alternative when given.
    .addOption(new Option("--no-public-ip").hideHelp())
    .addOption(new Option("--country-code <code>").hideHelp())
    .addOption(new Option("--min-vcpu <n>").hideHelp())
    .addOption(new Option("--min-memory <gb>").hideHelp())
    .addOption(new Option("--min-download <mbps>").hideHelp())
    .addOption(new Option("--min-upload <mbps>").hideHelp())
    .action(action(async (ctx) => (await import("./pod/create.js")).createPod(ctx)));

  pod
    .command("update")
    .description("change a pod's settings; only what is given changes")
    .argument("<pod-id>", "the pod's id")
    .option("--name <name>", "a new name")
    .option("--image <image>", "another container image")
    .option("--docker-args <command>", "arguments for the image's entrypoint")
    .option("--container-disk <gb>", "container disk size in GB")
    .option("--ports <ports>", 'exposed ports, e.g. "8888/http,22/tcp" ("" for none)')
    .option("--env <KEY=VALUE>", "set a variable, keeping the others (repeatable)", collect)
    .option("--registry-auth-id <id>", 'registry credentials ("" for none)')
    .option("--volume <gb>", "the persistent volume's size in GB")
    .option("--volume-path <path>", "where the pod's volume is mounted")
    .option("--template-id <id>", "apply a pod template's container settings once")
    .option("--lock", "lock the pod: it cannot be stopped")
    .option("--unlock", "unlock the pod")
    .option("--global-networking", "turn global networking on (from the next start)")
    .option("--no-global-networking", "turn global networking off (from the next start)")
    .action(action(async (ctx) => (await import("./pod/update.js")).updatePod(ctx)));

  pod
    .command("stop")
    .description("stop a pod (its disk is kept; start it again later)")
    .argument("<pod-id>", "the pod's id")
    .action(action(async (ctx) => (await import("./pod/lifecycle.js")).podAction(ctx, "stop")));

  pod
    .command("start")
    .alias("resume")
    .description("start a stopped pod with its own GPU configuration")
    .argument("<pod-id>", "the pod's id")
    // GraphQL's podResume took a GPU count; v2 has none. Hidden, kept to refuse it with the reason.
    .addOption(new Option("--gpu-count <n>").hideHelp())
    .action(action(async (ctx) => (await import("./pod/lifecycle.js")).podAction(ctx, "start")));

  pod
    .command("restart")
    .description("restart a running pod's container in place")
    .argument("<pod-id>", "the pod's id")
    .action(action(async (ctx) => (await import("./pod/lifecycle.js")).podAction(ctx, "restart")));

  pod
    .command("logs")
    .description("print a pod's log lines; -f keeps following, resuming after a dropped connection")
    .argument("<pod-id>", "the pod's id")
    .option("-f, --follow", "keep printing new lines until Ctrl-C")
    .option("--tail <n>", "lines of history first, 0 to 5000 (default 100)")
    .option("--source <source>", "container or system (default: both)")
    .option("--since <time>", "start at this RFC 3339 time instead of --tail")
    .action(action(async (ctx) => (await import("./v2/logs.js")).podLogs(ctx)));

  pod
    .command("terminate")
    .alias("delete")
    .description("terminate a pod; its container disk is deleted for good")
    .argument("<pod-id>", "the pod's id")
    .action(action(async (ctx) => (await import("./pod/lifecycle.js")).terminatePod(ctx)));

  pod
    .command("ssh")
    .description("wait until the pod accepts SSH, then connect with the system ssh")
    .argument("<pod-id>", "the pod's id")
    .option("--print", "print the ssh command instead of running it (--json: the route too)")
    .option("--timeout <seconds>", "how long to wait for the pod", "300")
    .addHelpText(
      "after",
      `
The key is the first pair in ~/.runpod/ssh/ (made by \`runpod-ts ssh add-key\`), preferring
"runpod-ts"; without one, ssh uses its own defaults (~/.ssh/config, the agent, ~/.ssh/id_*).`,
    )
    .action(action(async (ctx) => (await import("./pod/ssh.js")).sshToPod(ctx)));
}
