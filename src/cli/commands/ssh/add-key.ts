import { readFile } from "node:fs/promises";
import * as z from "zod";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { textFlag } from "../../flags.js";
import {
  DEFAULT_KEY_NAME,
  generateEd25519,
  KEY_NAME,
  localKeyPairs,
  sshKeyDir,
  writeKeyPair,
} from "../../ssh/generate-key.js";
import {
  addAccountKey,
  fingerprint,
  isPublicKey,
  type PublicKey,
  parsePublicKey,
} from "../../ssh/public-key.js";
import { parseFlags } from "../../usage.js";

const flags = z.object({
  keyFile: textFlag().optional(),
  name: z
    .string()
    .regex(KEY_NAME, "use 1-64 letters, digits, '.', '-' or '_', not starting with '.'")
    .optional(),
});

interface KeySource {
  key: PublicKey;
  /** Where the key came from, for the message. */
  from: string;
  /** Whether this run wrote a new key pair. */
  generated: boolean;
}

/** `runpod-ts ssh add-key [--key-file F] [--name N]` */
export async function addKey(ctx: CommandContext): Promise<void> {
  const { keyFile, name } = parseFlags(ctx, flags, ctx.options);
  // The API key first (no request), so a missing one fails before a key pair is written; then
  // read or make the SSH key, so a bad file fails before the account is touched.
  const api = await connectApi(ctx);
  const source =
    keyFile === undefined
      ? await localOrNewKey(name ?? DEFAULT_KEY_NAME)
      : await keyFromFile(keyFile, name);
  const print = fingerprint(source.key);
  await ctx.out.spin("Adding the key to your account", async () => {
    // v2 replaces the whole list: read it, append, write it back.
    const keys = addAccountKey(await api.sshKeys.list(), source.key);
    if (keys === undefined) {
      throw new CliError(
        `The account already has this key (${print}); not adding it twice`,
        "see the keys with `runpod-ts ssh list-keys`",
      );
    }
    await api.sshKeys.set(keys);
  });
  ctx.out.data(
    {
      type: source.key.type,
      fingerprint: print,
      comment: source.key.comment,
      from: source.from,
      generated: source.generated,
    },
    (r) =>
      [
        r.generated ? `Generated an ed25519 key pair: ${r.from}` : `Read ${r.from}`,
        `Added ${r.type} ${r.fingerprint}${r.comment ? ` (${r.comment})` : ""} to your account.`,
        "New pods trust it; pods that already run keep the keys they started with.",
      ].join("\n"),
  );
}

async function keyFromFile(path: string, comment: string | undefined): Promise<KeySource> {
  const text = await readFile(path, "utf8");
  const parsed = parsePublicKey(text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "");
  if (!isPublicKey(parsed)) {
    throw new CliError(
      `${path} is not an OpenSSH public key (${parsed.error})`,
      "give the .pub file, e.g. --key-file ~/.ssh/id_ed25519.pub",
    );
  }
  return {
    key: comment === undefined ? parsed : { ...parsed, comment },
    from: path,
    generated: false,
  };
}

/** The pair `<name>` in ~/.runpod/ssh/, generated (0600) when it is not there yet. */
async function localOrNewKey(name: string): Promise<KeySource> {
  const dir = sshKeyDir();
  const existing = (await localKeyPairs(dir)).find((p) => p.name === name);
  if (existing !== undefined) {
    return { key: existing.key, from: `${existing.privatePath}.pub`, generated: false };
  }
  const pair = generateEd25519(name);
  const { publicPath } = await writeKeyPair(dir, name, pair);
  const key = parsePublicKey(pair.publicKey);
  if (!isPublicKey(key)) throw new Error(`generated key does not parse: ${key.error}`);
  return { key, from: publicPath, generated: true };
}
