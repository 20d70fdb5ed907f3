import { configPath, listProfiles, maskKey, readConfig } from "../../config-store.js";
import type { CommandContext } from "../../context.js";
import { formatTable } from "../../output/table.js";

/** `runpod-ts config show`: the profiles, keys masked. */
export async function showConfig(ctx: CommandContext): Promise<void> {
  const path = configPath();
  const profiles = listProfiles(await readConfig(path)).map((p) => ({
    profile: p.name,
    apiKey: maskKey(p.apiKey),
  }));
  const envKey = ctx.io.env.RUNPOD_API_KEY;
  const result = {
    path,
    profiles,
    // Shown because it wins over the default profile, which would otherwise surprise.
    envApiKey: envKey ? maskKey(envKey) : null,
  };
  const { style } = ctx.out;
  ctx.out.data(result, (r) => {
    const lines: string[] = [];
    if (r.profiles.length === 0) {
      lines.push(`No profiles in ${r.path}; add one with \`runpod-ts config\`.`);
    } else {
      lines.push(`${style.dim("File:")} ${r.path}`, "");
      lines.push(
        formatTable(
          [
            { header: "PROFILE", value: (p: (typeof r.profiles)[number]) => p.profile },
            { header: "API KEY", value: (p) => p.apiKey },
          ],
          r.profiles,
          style.bold,
        ),
      );
    }
    if (envKey)
      lines.push(
        "",
        `RUNPOD_API_KEY is set (${maskKey(envKey)}) and takes precedence over the default profile.`,
      );
    return lines.join("\n");
  });
}
