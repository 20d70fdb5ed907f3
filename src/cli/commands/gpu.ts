import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

export function registerGpu(program: Command, action: ActionFactory): void {
  const gpu = program.command("gpu").description("look up GPU types and their prices");

  gpu
    .command("list")
    .description("list GPU types: id, name, memory")
    .action(action(async (ctx) => (await import("./gpu/show.js")).listGpus(ctx)));

  gpu
    .command("get")
    .description("show one GPU type with its prices and stock")
    .argument("<gpu-type-id>", 'e.g. "NVIDIA GeForce RTX 4090"')
    .option("--gpu-count <n>", "price the lowest offer for this many GPUs", "1")
    .action(action(async (ctx) => (await import("./gpu/show.js")).getGpu(ctx)));
}
