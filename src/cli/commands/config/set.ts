import * as z from "zod/mini";
import { configPath, DEFAULT_PROFILE, writeProfileKey } from "../../config-store.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { promptHidden, readFirstLine } from "../../prompt.js";
import { parseFlags } from "../../usage.js";
import { apiKeySchema, profileSchema } from "./schemas.js";

const flags = z.object({ profile: profileSchema, apiKey: z.optional(apiKeySchema) });

/** `runpod-ts config`: stores an API key for a profile. */
export async function setApiKey(ctx: CommandContext): Promise<void> {
  const { profile, apiKey: given } = parseFlags(ctx, flags, {
    profile: ctx.globals.profile ?? DEFAULT_PROFILE,
    apiKey: ctx.globals.apiKey,
  });
  const apiKey = given ?? (await askForKey(ctx, profile));
  const path = configPath();
  const { replaced } = await writeProfileKey(path, profile, apiKey);
  ctx.out.data({ profile, path, replaced }, () =>
    replaced
      ? `Replaced the API key of profile "${profile}" in ${path}`
      : `Saved the API key for profile "${profile}" in ${path}`,
  );
}

async function askForKey(ctx: CommandContext, profile: string): Promise<string> {
  const { stdin, stderr } = ctx.io;
  const raw = stdin.isTTY
    ? await promptHidden(`API key for profile "${profile}" (input hidden): `, stdin, stderr)
    : await readFirstLine(stdin);
  const key = raw.trim();
  if (key === "") {
    throw new CliError(
      "No API key given",
      "pass --api-key, type it when asked, or pipe it on stdin; create one at https://www.runpod.io/console/user/settings",
    );
  }
  // The key came from the user, not a flag: report a bad one without echoing it.
  if (!z.safeParse(apiKeySchema, key).success) {
    throw new CliError("That does not look like an API key (it contains spaces or is too long)");
  }
  return key;
}
