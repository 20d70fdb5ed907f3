import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

export function registerConfig(program: Command, action: ActionFactory): void {
  const config = program
    .command("config")
    .description(
      "save an API key to ~/.runpod/config.toml (asks for it when --api-key is not given)",
    )
    .addHelpText(
      "after",
      `
The key is stored under --profile (default "default"), in the file the Python runpod CLI uses.
Without --api-key it is asked for (hidden) on a terminal, or read from the first line of stdin:
  echo "$KEY" | runpod-ts config --profile work`,
    )
    .action(action(async (ctx) => (await import("./config/set.js")).setApiKey(ctx)));

  config
    .command("show")
    .description("list the profiles in ~/.runpod/config.toml, keys masked")
    .action(action(async (ctx) => (await import("./config/show.js")).showConfig(ctx)));
}
