import type { Command } from "commander";
import type { ActionFactory } from "../context.js";

export function registerSsh(program: Command, action: ActionFactory): void {
  const ssh = program
    .command("ssh")
    .description("the SSH public keys your pods trust (the account's SSH keys)");

  ssh
    .command("list-keys")
    .description("list the account's SSH public keys with their SHA256 fingerprints")
    .action(action(async (ctx) => (await import("./ssh/list-keys.js")).listKeys(ctx)));

  ssh
    .command("add-key")
    .description("add a public key to the account, generating one when no --key-file is given")
    .option("--key-file <path>", "an OpenSSH public key file, e.g. ~/.ssh/id_ed25519.pub")
    .option(
      "--name <name>",
      "the generated key's file name under ~/.runpod/ssh/ and its comment; with --key-file, the comment",
    )
    .addHelpText(
      "after",
      `
Without --key-file, an ed25519 pair is written to ~/.runpod/ssh/<name> and <name>.pub (mode 0600;
name "runpod-ts" by default), or the pair already there is reused. A key already on the account
is never added twice. \`runpod-ts pod ssh\` uses this key.`,
    )
    .action(action(async (ctx) => (await import("./ssh/add-key.js")).addKey(ctx)));
}
