/**
 * `--rp_serve_api`: the local platform in this process, and this file's own worker run against it
 * through the production code path (job-take, job-done, job-stream, job-stop and ping requests,
 * answered by the platform's own worker operations through its in-process link, without sockets or
 * HTTP), so what a user tests locally is what runs in the cloud. Unlike Python's dev server, the handler
 * never runs inside an HTTP request, and `--rp_api_concurrency > 1` is plain worker concurrency.
 * The platform (and Hono) is loaded here by dynamic import, never by a production worker.
 */
import type { Env } from "./config.js";
import type { WorkerFlags } from "./flags.js";
import { startHeldLinesThread } from "./held-lines.js";
import { platformLogger, type WorkerLog } from "./log.js";
import { shutdownOnSignals } from "./shutdown-signals.js";
import type { StartOptions } from "./types.js";
import { createWorker } from "./worker.js";

/** The worker id the in-process worker reports; shown in `/health` and status objects. */
const WORKER_ID = "local-worker";

/** Runs until SIGINT/SIGTERM; resolves with the process exit code. */
export async function serveApi(
  options: StartOptions<unknown, unknown>,
  flags: WorkerFlags,
  env: Env,
  argv: readonly string[],
  log: WorkerLog,
): Promise<number> {
  const { createLocalPlatform } = await import("../local/index.js");
  const platform = await createLocalPlatform({
    port: flags.apiPort,
    host: flags.apiHost,
    dashboard: flags.dashboard,
    logger: platformLogger(log),
  });
  const newWorker = () =>
    createWorker(
      flags.apiConcurrency === undefined
        ? options
        : { ...options, concurrency: flags.apiConcurrency },
      {
        // The platform's webhook URLs win over any left in the shell, so the worker talks to it.
        env: { ...env, ...platform.workerEnv(WORKER_ID) },
        argv,
        fitnessChecks: false,
        log,
        // Jobs, results, stops and pings go to the platform in this process through its link;
        // external workers connect over HTTP as usual.
        link: platform.workerLink,
      },
    );

  process.stdout.write(
    `Local platform: ${platform.url} (endpoint "${platform.endpointId}")\n` +
      (flags.dashboard ? `Dashboard: ${platform.url}/\n` : "") +
      `Try: curl -s -X POST ${platform.endpointUrl}/runsync -H 'Content-Type: application/json' -d '{"input": {}}'\n`,
  );

  // The heartbeat pings through the link, without a thread; this one writes the held log lines
  // out if a handler blocks the main thread, so no handler start costs a write (held-lines.ts).
  const heldLines = log.heldLines;
  const stopHeldLines = heldLines ? startHeldLinesThread(heldLines) : undefined;
  let worker = newWorker();
  let stopping = false;
  const removeSignalHandlers = shutdownOnSignals(
    {
      shutdown: (reason) => {
        stopping = true;
        // The worker waits for its job-take in flight; the platform closes with it, so it answers
        // that take with no jobs now instead of at the end of its long poll.
        platform.drainWorker(WORKER_ID);
        worker.shutdown(reason);
      },
    },
    log,
  );
  try {
    for (;;) {
      const code = await worker.run();
      // With refreshWorker a worker ends after each job and the platform starts a fresh one; here,
      // a fresh worker in this process takes over, so the local server keeps serving.
      if (stopping || !options.refreshWorker || code !== 0) return code;
      log.info("refreshWorker: starting a fresh worker.");
      worker = newWorker();
    }
  } finally {
    removeSignalHandlers();
    await stopHeldLines?.();
    await platform.close();
  }
}
