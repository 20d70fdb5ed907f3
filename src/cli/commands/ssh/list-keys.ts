import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { fingerprint, splitAccountKeys } from "../../ssh/public-key.js";

/** `runpod-ts ssh list-keys` */
export async function listKeys(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const lines = await ctx.out.spin("Fetching your SSH keys", () => api.sshKeys.list());
  const { keys, invalid } = splitAccountKeys(lines);
  const rows = keys.map((k) => ({
    type: k.type,
    fingerprint: fingerprint(k),
    comment: k.comment,
  }));
  if (invalid.length > 0) {
    ctx.out.note(`${invalid.length} of the account's SSH keys are not OpenSSH public keys.`);
  }
  ctx.out.table(
    rows,
    [
      { header: "TYPE", value: (r) => r.type },
      { header: "FINGERPRINT", value: (r) => r.fingerprint },
      { header: "COMMENT", value: (r) => r.comment },
    ],
    "No SSH keys on the account. Add one with `runpod-ts ssh add-key`.",
  );
}
