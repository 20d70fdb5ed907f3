import { relative } from "node:path";
import * as z from "zod";
import { createLocalPlatform, type LocalPlatform } from "../../../local/index.js";
import { formatWorkerEnv } from "../../../protocol/webhook-env.js";
import type { CommandContext } from "../../context.js";
import { intFlag, textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { restartOnChange, untilSignal } from "./lifecycle.js";
import { platformLogger, reportEvents } from "./platform-log.js";
import { workerCommand } from "./worker-command.js";
import { WorkerPool } from "./worker-pool.js";

const flags = z.object({
  port: intFlag(0).pipe(z.number().max(65_535, "must be at most 65535")),
  host: textFlag(),
  endpointId: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only"),
  concurrency: intFlag(1),
  dashboard: z.boolean(),
});

/**
 * `runpod-ts dev [worker-file]`: the local platform in the foreground, printing how to reach it;
 * with a worker file, that worker as child processes connected through the worker protocol,
 * restarted when it or a local file it imports changes. Runs until SIGINT or SIGTERM, then stops the
 * workers gracefully, closes the platform and exits 0.
 */
export async function startDev(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const worker = ctx.args[0] === undefined ? undefined : await workerCommand(ctx, ctx.args[0]);
  const { stdout, stderr } = ctx.io;
  const style = ctx.out.style;
  const tag = {
    platform: style.yellow("[platform]"),
    dev: style.dim("[dev]"),
    worker: (i: number) => style.cyan(f.concurrency === 1 ? "[worker]" : `[worker-${i + 1}]`),
  };
  const say = (label: string) => (text: string) => stdout.write(`${label} ${text}\n`);

  const platform = await createLocalPlatform({
    port: f.port,
    host: f.host,
    endpointId: f.endpointId,
    dashboard: f.dashboard,
    ...(ctx.globals.apiKey === undefined ? {} : { apiKey: ctx.globals.apiKey }),
    logger: platformLogger(say(tag.platform)),
  });
  const unsubscribe = platform.subscribe(reportEvents(say(tag.platform)));
  ctx.out.print(
    banner(platform, {
      keyed: ctx.globals.apiKey !== undefined,
      dashboard: f.dashboard,
      ownWorker: worker !== undefined,
    }),
  );

  let pool: WorkerPool | undefined;
  let unwatch: (() => void) | undefined;
  if (worker !== undefined) {
    const workerPool = new WorkerPool({
      command: worker,
      count: f.concurrency,
      env: (i) => ({
        // The built-in fitness checks judge a platform machine (8.8.8.8 reachable, 4 GB free...);
        // on a laptop they would only get in the way. Set either variable to "false" to run them.
        RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true",
        RUNPOD_SKIP_GPU_CHECK: "true",
        ...ctx.io.env,
        ...platform.workerEnv(workerId(i)),
      }),
      drain: (i) => platform.drainWorker(workerId(i)),
      stdout,
      stderr,
      label: tag.worker,
      note: say(tag.dev),
    });
    pool = workerPool;
    say(tag.dev)(`running ${relative(process.cwd(), worker.file) || worker.file}`);
    workerPool.start();
    unwatch = restartOnChange(worker.file, () => workerPool.restart(), say(tag.dev));
  }

  await untilSignal();
  say(tag.dev)("stopping");
  unwatch?.();
  await pool?.stop();
  unsubscribe();
  await platform.close();
}

/** The id of dev's worker `index` (0-based), the same across restarts. */
const workerId = (index: number): string => `local-worker-${index + 1}`;

/**
 * The platform's address and a request to try; without a worker file, also the variables that
 * connect any worker (with one, dev runs it and those would only distract).
 */
function banner(
  platform: LocalPlatform,
  { keyed, dashboard, ownWorker }: { keyed: boolean; dashboard: boolean; ownWorker: boolean },
): string {
  const auth = keyed ? ` -H "Authorization: Bearer <api key>"` : "";
  const cliKey = keyed ? " --api-key <api key>" : "";
  const connect = ownWorker
    ? []
    : [
        "Connect any worker (ours or the Python SDK's) with:",
        ...formatWorkerEnv(platform.workerEnv())
          .split("\n")
          .map((line) => `  ${line}`),
        "",
      ];
  return [
    `Local platform: ${platform.url} (endpoint ${platform.endpointId}, public API ${platform.endpointUrl})`,
    ...(dashboard ? [`Dashboard: ${platform.url}/`] : []),
    "",
    "Try it:",
    `  curl -s -X POST ${platform.endpointUrl}/runsync${auth} -d '{"input": {}}'`,
    `  runpod-ts endpoint runsync ${platform.endpointId} --input '{}' --base-url ${platform.url}/v2${cliKey}`,
    "",
    ...connect,
  ].join("\n");
}
