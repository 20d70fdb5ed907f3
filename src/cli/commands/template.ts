import type { Command } from "commander";
import type { ActionFactory } from "../context.js";
import { collect } from "./options.js";

/** The container flags `create` and `update` share (mapped to REST v2 in `template/settings.ts`). */
function containerOptions(command: Command, disk: string | undefined): Command {
  return command
    .option("--start-cmd <command>", "start command (the container's default when not given)")
    .option("--container-disk <gb>", "container disk size in GB", disk)
    .option("--volume <gb>", "persistent volume size in GB, at least 10")
    .option("--volume-path <path>", "where the volume is mounted (default /workspace)")
    .option("--ports <ports>", 'exposed ports, e.g. "8888/http,22/tcp"')
    .option("--env <KEY=VALUE>", "environment variable (repeatable; update: replaces all)", collect)
    .option("--registry-auth-id <id>", "registry credentials for a private image (see `registry`)")
    .option("--cuda <versions>", 'allowed CUDA versions, e.g. "12.4,12.8"')
    .option("--readme <text>", "not in REST v2: write the readme in the Runpod console");
}

export function registerTemplate(program: Command, action: ActionFactory): void {
  const template = program
    .command("template")
    .description("list, show, create, update and delete pod and serverless templates");

  template
    .command("list")
    .description("list your templates, or Runpod's public ones with --catalog")
    .option("--catalog <source>", "official, verified or community: Runpod's catalog (at most 100)")
    .option("--offset <n>", "skip the first n templates")
    .option("--limit <n>", "show at most n templates")
    .action(action(async (ctx) => (await import("./template/list.js")).listTemplates(ctx)));

  template
    .command("search")
    .description("find templates whose name or image contains a term: yours and the catalog's")
    .argument("<term>", "any part of a name or an image, any case")
    .option("--catalog <source>", "only this catalog source: official, verified or community")
    .option("--offset <n>", "skip the first n matches")
    .option("--limit <n>", "show at most n matches")
    .action(action(async (ctx) => (await import("./template/list.js")).searchTemplates(ctx)));

  template
    .command("get")
    .description("show one template: yours or a public one")
    .argument("<template-id>", "the template's id")
    .action(action(async (ctx) => (await import("./template/list.js")).getTemplate(ctx)));

  containerOptions(
    template
      .command("create")
      .description("create a template for pods, or for endpoints with --serverless")
      .requiredOption("--name <name>", "unique among your templates")
      .requiredOption("--image <image>", "container image")
      .option("--serverless", "a template for serverless endpoints")
      .option("--public", "visible to every Runpod user")
      .option("--category <category>", "NVIDIA (default), AMD or CPU: how the console groups it"),
    "10",
  ).action(action(async (ctx) => (await import("./template/create.js")).createTemplate(ctx)));

  containerOptions(
    template
      .command("update")
      .description("change a template's settings; pods and endpoints made from it keep theirs")
      .argument("<template-id>", "the template's id")
      .option("--name <name>", "a new name")
      .option("--image <image>", "a new container image"),
    undefined,
  )
    .addHelpText(
      "after",
      `
Only the options given change. --env replaces the whole environment; --ports "" and --cuda ""
clear the list; --registry-auth-id "" removes the credentials.`,
    )
    .action(action(async (ctx) => (await import("./template/update.js")).updateTemplate(ctx)));

  template
    .command("delete")
    .description("delete a template that no pod or endpoint uses")
    .argument("<name-or-id>", "the template's name or id")
    .action(action(async (ctx) => (await import("./template/delete.js")).deleteTemplate(ctx)));
}
