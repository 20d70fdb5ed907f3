import type { Command } from "commander";
import type { ActionFactory } from "../context.js";
import { collect } from "./options.js";

export function registerTemplate(program: Command, action: ActionFactory): void {
  const template = program
    .command("template")
    .description("list, create and delete pod and serverless templates");

  template
    .command("list")
    .description("list your templates")
    .action(action(async (ctx) => (await import("./template/list.js")).listTemplates(ctx)));

  template
    .command("create")
    .description("create a template for pods, or for endpoints with --serverless")
    .requiredOption("--name <name>", "unique among your templates")
    .requiredOption("--image <image>", "container image")
    .option("--serverless", "a template for serverless endpoints")
    .option("--start-cmd <command>", "start command (the container's default when not given)")
    .option("--container-disk <gb>", "container disk size in GB", "10")
    .option("--volume <gb>", "volume size in GB", "0")
    .option("--volume-path <path>", "where the volume is mounted")
    .option("--ports <ports>", 'exposed ports, e.g. "8888/http,22/tcp"')
    .option("--env <KEY=VALUE>", "environment variable (repeatable)", collect)
    .option("--registry-auth-id <id>", "registry credentials for a private image")
    .option("--readme <text>", "description shown in the console")
    .action(action(async (ctx) => (await import("./template/create.js")).createTemplate(ctx)));

  template
    .command("delete")
    .description("delete a template that no pod or endpoint uses")
    .argument("<name-or-id>", "the template's name or id")
    .action(action(async (ctx) => (await import("./template/delete.js")).deleteTemplate(ctx)));
}
