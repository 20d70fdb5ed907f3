import { type Command, Option } from "commander";
import type { ActionFactory } from "../context.js";

const CLOUDS = ["SECURE", "COMMUNITY"];

export function registerGpu(program: Command, action: ActionFactory): void {
  const gpu = program.command("gpu").description("look up GPU types, their prices and stock");

  gpu
    .command("list")
    .description("list GPU types: memory, price per GPU and hour, stock for pods")
    .option("--available", "only types in stock now")
    .option("--gpu-count <n>", "stock for pods of this many GPUs", "1")
    .addOption(
      new Option("--cloud <cloud>", "stock in this cloud (default SECURE)").choices(CLOUDS),
    )
    .action(action(async (ctx) => (await import("./gpu/show.js")).listGpus(ctx)));

  gpu
    .command("get")
    .description("show one GPU type: prices, stock per data center, CUDA versions")
    .argument("<gpu-type-id>", 'e.g. "NVIDIA GeForce RTX 4090"')
    .option("--gpu-count <n>", "price and stock for a pod of this many GPUs", "1")
    .addOption(
      new Option("--cloud <cloud>", "stock in this cloud (default SECURE)").choices(CLOUDS),
    )
    .action(action(async (ctx) => (await import("./gpu/show.js")).getGpu(ctx)));
}
