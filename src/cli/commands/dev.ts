import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

export function registerDev(program: Command, action: ActionFactory): void {
  program
    .command("dev")
    .description("start the local platform; with a worker file, run it and restart it on changes")
    .argument("[worker-file]", "a worker (.js, .mjs, .cjs, or .ts/.mts/.cts through tsx)")
    .option("--port <n>", "port of the local platform (0 picks a free one)", "8000")
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--endpoint-id <id>", "the endpoint id in /v2/{id}/…", "local")
    .option("--concurrency <n>", "how many worker processes to run", "1")
    .option("--no-dashboard", "do not serve the dashboard at /")
    .option(
      "--load-balancer <worker-file>",
      "run a load-balancing worker (an HTTP server on PORT) behind a local load balancer on --port",
    )
    .option("--workers <n>", "with --load-balancer: at most this many worker processes", "1")
    .option("--min-workers <n>", "with --load-balancer: keep this many running when idle", "1")
    .addHelpText(
      "after",
      `
With --api-key KEY, every request to the platform needs that key; without it, the platform is open.
Without a worker file, connect any worker with the printed RUNPOD_WEBHOOK_* variables. A .ts worker
runs through tsx: install it in your project (npm install --save-dev tsx).
With --load-balancer, the balancer answers on --port (every path goes to a worker, which gets PORT,
PORT_HEALTH and HEALTH_CHECK_PATH) and the dashboard is on the next port.`,
    )
    .action(
      action(async (ctx) =>
        ctx.options.loadBalancer === undefined
          ? (await import("./dev/run.js")).startDev(ctx)
          : (await import("./dev/load-balancer.js")).startLoadBalancerDev(
              ctx,
              ctx.options.loadBalancer,
            ),
      ),
    );
}
