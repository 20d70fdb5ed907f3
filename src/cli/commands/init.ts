import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

export function registerInit(program: Command, action: ActionFactory): void {
  program
    .command("init")
    .description("scaffold a worker project (handler, package.json, Dockerfile, README)")
    .argument("[dir]", "directory to create (must be empty or absent)", ".")
    .option("-t, --template <name>", "basic or streaming", "basic")
    .action(action(async (ctx) => (await import("./init/run.js")).initProject(ctx)));
}
