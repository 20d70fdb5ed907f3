import * as z from "zod";
import { AuthenticationError } from "../../../core/api-errors.js";
import { SETTING_SOURCES, settingEnvVar } from "../../../core/setting-sources.js";
import { Endpoint } from "../../../endpoint/endpoint.js";
import type { EndpointOptions } from "../../../endpoint/options.js";
import { resolveApiKey } from "../../api-key.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";

const flags = z.object({
  endpointId: textFlag(),
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
});

export interface EndpointConnection {
  endpointId: string;
  /** The options every `Endpoint` of this command is made with (key, base URL). */
  options: EndpointOptions;
  endpoint: Endpoint;
  /** `--base-url …` when it was given, for the follow-up commands the CLI prints. */
  baseUrlFlag: string;
}

/**
 * The `Endpoint` a job subcommand calls, for its first argument. The key is resolved the CLI's way
 * (`--api-key`, `--profile`, `RUNPOD_API_KEY`, default profile); without `--base-url`, `Endpoint`
 * reads `RUNPOD_ENDPOINT_BASE_URL` itself, so a bad value is reported under that name. Another
 * server than Runpod's (the local platform) may need no key: with none configured, the request
 * goes without one and the server decides, as `Endpoint` does.
 */
export async function connectEndpoint(ctx: CommandContext): Promise<EndpointConnection> {
  const f = parseFlags(ctx, flags, { endpointId: ctx.args[0], baseUrl: ctx.options.baseUrl });
  // A trailing slash would put `//` before the endpoint id.
  const baseUrl = f.baseUrl?.replace(/\/+$/, "");
  const apiKey = await resolveApiKey(ctx.globals, ctx.io.env).catch((error: unknown) => {
    if (error instanceof AuthenticationError && !isRunpod(targetOf(ctx))) return undefined;
    throw error;
  });
  const options: EndpointOptions = {
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  };
  return {
    endpointId: f.endpointId,
    options,
    endpoint: new Endpoint(f.endpointId, options),
    baseUrlFlag: baseUrl === undefined ? "" : ` --base-url ${baseUrl}`,
  };
}

/** The base URL a command talks to: `--base-url`, the env var, or Runpod's. */
function targetOf(ctx: CommandContext): string {
  const flag = typeof ctx.options.baseUrl === "string" ? ctx.options.baseUrl : undefined;
  const env = ctx.io.env[settingEnvVar("endpointBaseUrl")];
  return (
    flag ??
    (env === "" ? undefined : env) ??
    SETTING_SOURCES.endpointBaseUrl.default
  ).replace(/\/+$/, "");
}

function isRunpod(baseUrl: string): boolean {
  return baseUrl === SETTING_SOURCES.endpointBaseUrl.default;
}

/**
 * A 401 from another server than Runpod's (the local platform of `runpod-ts dev --api-key`) is
 * about that server's key, not the Runpod key the CLI's default message talks about.
 */
export function explainRefusal(error: unknown, ctx: CommandContext): unknown {
  if (!(error instanceof AuthenticationError) || error.status !== 401) return error;
  const target = targetOf(ctx);
  if (isRunpod(target)) return error;
  const sent = !error.message.includes("no API key was sent");
  return new CliError(
    `${target} refused the request (401 Unauthorized): ${sent ? "the API key sent does not match" : "it wants an API key"}`,
    `pass the key it was started with (\`runpod-ts dev --api-key KEY\`) as --api-key or RUNPOD_API_KEY`,
    { cause: error },
  );
}
