import { relative } from "node:path";
import * as z from "zod";
import { createLocalPlatform, type PlatformListener } from "../../../local/index.js";
import type { CommandContext } from "../../context.js";
import { UsageError } from "../../errors.js";
import { intFlag, textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { restartOnChange, untilSignal } from "./lifecycle.js";
import { platformLogger } from "./platform-log.js";
import { workerCommand } from "./worker-command.js";

const flags = z
  .object({
    port: intFlag(0).pipe(z.number().max(65_535, "must be at most 65535")),
    host: textFlag(),
    endpointId: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only"),
    dashboard: z.boolean(),
    workers: intFlag(1).pipe(z.number().max(64, "must be at most 64")),
    minWorkers: intFlag(0),
  })
  .refine((f) => f.minWorkers <= f.workers, {
    message: "must not exceed --workers",
    path: ["minWorkers"],
  });

/**
 * `runpod-ts dev --load-balancer WORKER`: a local load-balancing endpoint in the foreground. The
 * balancer takes `--port` (the app answers where a queue platform would); the platform with the
 * dashboard takes the next port. Up to `--workers` processes of WORKER (at least
 * `--min-workers`), each line they print labelled with its worker id; one line per request and
 * per worker change; the workers restart when the worker file or a local file it imports changes.
 * Runs until SIGINT or SIGTERM, then drains the workers and exits 0.
 */
export async function startLoadBalancerDev(ctx: CommandContext, file: unknown): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  if (ctx.args[0] !== undefined) {
    throw new UsageError("give the worker file once: after --load-balancer", ctx.command);
  }
  const worker = await workerCommand(ctx, file);
  const { stdout, stderr } = ctx.io;
  const style = ctx.out.style;
  const tag = { lb: style.yellow("[lb]"), dev: style.dim("[dev]") };
  const say = (label: string) => (text: string) => stdout.write(`${label} ${text}\n`);

  const platform = await createLocalPlatform({
    port: f.port === 0 ? 0 : f.port + 1,
    host: f.host,
    endpointId: f.endpointId,
    dashboard: f.dashboard,
    ...(ctx.globals.apiKey === undefined ? {} : { apiKey: ctx.globals.apiKey }),
    logger: platformLogger(say(tag.lb)),
    loadBalancer: {
      command: [worker.command, ...worker.args],
      port: f.port,
      env: { ...ctx.io.env } as Record<string, string>,
      workers: { min: f.minWorkers, max: f.workers, requestCount: 1 },
      output: (line, id, stream) =>
        (stream === "stdout" ? stdout : stderr).write(`${style.cyan(`[${id}]`)} ${line}\n`),
    },
  });
  const url = platform.loadBalancerUrl as string;
  const unsubscribe = platform.subscribe(
    reportLoadBalancer(say(tag.lb), platform.loadBalancerEndpointId as string),
  );
  const auth = ctx.globals.apiKey === undefined ? "" : ` -H "Authorization: Bearer <api key>"`;
  ctx.out.print(
    [
      `Local load balancer: ${url} (endpoint ${platform.endpointId}; any path goes to a worker)`,
      ...(f.dashboard ? [`Dashboard: ${platform.url}/`] : []),
      "",
      "Try it:",
      `  curl -si ${url}/ping${auth}`,
      "",
    ].join("\n"),
  );
  say(tag.dev)(
    `running ${relative(process.cwd(), worker.file) || worker.file} (${f.minWorkers}–${f.workers} workers)`,
  );

  const unwatch = restartOnChange(
    worker.file,
    () => platform.restartLoadBalancerWorkers(),
    say(tag.dev),
  );

  await untilSignal();
  say(tag.dev)("stopping");
  unwatch();
  await platform.close();
  unsubscribe();
}

/**
 * One line per request (an access log) and per worker that starts, changes state or goes. Lines
 * about another endpoint than `own` (one created through REST v2) start with its id.
 */
export function reportLoadBalancer(say: (text: string) => void, own: string): PlatformListener {
  const states = new Map<string, string>();
  const about = (endpointId: string) =>
    endpointId === own ? say : (text: string) => say(`${endpointId}: ${text}`);
  return (event) => {
    if (event.type === "lb-endpoint") {
      const e = event.endpoint;
      if (e.id !== own) say(`endpoint ${e.id} started at ${e.url}`);
    } else if (event.type === "lb-request") {
      const r = event.request;
      const by = r.workerId === undefined ? "" : ` by ${r.workerId}`;
      const why = r.error === undefined ? "" : `: ${r.error}`;
      about(r.endpointId)(
        `${r.method} ${r.path} → ${r.status ?? "cut"}${by} (${r.durationMs} ms)${why}`,
      );
    } else if (event.type === "lb-worker") {
      const w = event.worker;
      if (states.get(w.id) === w.state) return;
      states.set(w.id, w.state);
      const tell = about(w.endpointId);
      if (w.state === "ready" && w.readyAt !== undefined && w.lastRequestAt === undefined) {
        const cold = w.coldStartMs === undefined ? "" : `, cold start ${w.coldStartMs} ms`;
        tell(
          `worker ${w.id} ready on port ${w.port} (${w.readyAt - w.startedAt} ms after start${cold})`,
        );
      } else if (w.state === "unhealthy") {
        tell(`worker ${w.id} unhealthy: ${w.unhealthyReason ?? "no reason given"}`);
      } else {
        tell(`worker ${w.id} ${w.state}`);
      }
    } else if (event.type === "lb-worker-removed") {
      states.delete(event.id);
      about(event.endpointId)(`worker ${event.id} gone (${event.reason})`);
    }
  };
}
