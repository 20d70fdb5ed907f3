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
    .addHelpText(
      "after",
      `
With --api-key KEY, every request to the platform needs that key; without it, the platform is open.
Without a worker file, connect any worker with the printed RUNPOD_WEBHOOK_* variables. A .ts worker
runs through tsx: install it in your project (npm install --save-dev tsx).`,
    )
    .action(action(async (ctx) => (await import("./dev/run.js")).startDev(ctx)));
}
