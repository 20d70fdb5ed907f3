import * as z from "zod";
import { Endpoint } from "../../../endpoint/endpoint.js";
import type { EndpointOptions } from "../../../endpoint/options.js";
import { resolveApiKey } from "../../api-key.js";
import type { CommandContext } from "../../context.js";
import { textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";

const flags = z.object({
  endpointId: textFlag,
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
});

export interface EndpointConnection {
  endpointId: string;
  /** The options every `Endpoint` of this command is made with (key, base URL). */
  options: EndpointOptions;
  endpoint: Endpoint;
}

/**
 * The `Endpoint` a job subcommand calls, for its first argument. The key is resolved the CLI's way
 * (`--api-key`, `--profile`, `RUNPOD_API_KEY`, default profile); without `--base-url`, `Endpoint`
 * reads `RUNPOD_ENDPOINT_BASE_URL` itself, so a bad value is reported under that name.
 */
export async function connectEndpoint(ctx: CommandContext): Promise<EndpointConnection> {
  const f = parseFlags(ctx, flags, { endpointId: ctx.args[0], baseUrl: ctx.options.baseUrl });
  const apiKey = await resolveApiKey(ctx.globals, ctx.io.env);
  // A trailing slash would put `//` before the endpoint id.
  const baseUrl = f.baseUrl?.replace(/\/+$/, "");
  const options: EndpointOptions = baseUrl === undefined ? { apiKey } : { apiKey, baseUrl };
  return { endpointId: f.endpointId, options, endpoint: new Endpoint(f.endpointId, options) };
}
