import * as z from "zod";
import type { LogLine } from "../../../api/rest/log-stream.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { intFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { arg } from "./show.js";

const flags = z.object({
  follow: z.boolean().optional(),
  tail: intFlag(0).pipe(z.number().max(5000, "must be at most 5000")).optional(),
  source: z.enum(["container", "system"]).optional(),
  since: z.iso.datetime({ offset: true, error: "must be an RFC 3339 time" }).optional(),
});

/** Prints log lines as they arrive: the text alone, or one JSON object per line with `--json`. */
async function print(ctx: CommandContext, lines: AsyncIterable<LogLine>): Promise<void> {
  for await (const line of lines) {
    if (ctx.out.json) ctx.out.print(JSON.stringify(line));
    else ctx.out.print(line.source === "system" ? ctx.out.style.dim(line.line) : line.line);
  }
}

function logOptions(ctx: CommandContext, signal: AbortSignal) {
  const f = parseFlags(ctx, flags, ctx.options);
  return {
    follow: f.follow === true,
    signal,
    ...(f.tail === undefined ? {} : { tail: f.tail }),
    ...(f.source === undefined ? {} : { source: f.source }),
    ...(f.since === undefined ? {} : { since: f.since }),
  };
}

/** Ctrl-C ends a followed stream quietly instead of killing the process mid-line. */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  return { signal: controller.signal, done: () => process.off("SIGINT", stop) };
}

/** `runpod-ts pod logs POD_ID [-f] [--tail N] [--source container|system] [--since TIME]` */
export async function podLogs(ctx: CommandContext): Promise<void> {
  const { signal, done } = interruptible();
  const options = logOptions(ctx, signal);
  const api = await connectApi(ctx);
  try {
    await print(ctx, api.pods.logs(arg(ctx), options));
  } finally {
    done();
  }
}

/** `runpod-ts endpoint logs ENDPOINT_ID WORKER_ID [-f] …` */
export async function workerLogs(ctx: CommandContext): Promise<void> {
  const { signal, done } = interruptible();
  const options = logOptions(ctx, signal);
  const api = await connectApi(ctx);
  try {
    await print(ctx, api.endpoints.workerLogs(arg(ctx), arg(ctx, 1), options));
  } finally {
    done();
  }
}
