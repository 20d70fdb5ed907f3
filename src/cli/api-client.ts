import { RunpodApi } from "../api/client.js";
import { resolveApiKey } from "./api-key.js";
import type { CommandContext } from "./context.js";

/**
 * A `RunpodApi` for a command, with the key resolved the CLI's way (`--api-key`, `--profile`,
 * `RUNPOD_API_KEY`, default profile). The client reads `RUNPOD_API_BASE_URL` itself, so a bad
 * value is reported under that name.
 */
export async function connectApi(ctx: CommandContext): Promise<RunpodApi> {
  return new RunpodApi({ apiKey: await resolveApiKey(ctx.globals, ctx.io.env) });
}
