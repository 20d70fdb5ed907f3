/**
 * `serverless.serve(app, options)`: the load-balancing worker as a process (signals, exit codes,
 * stray errors). Validation and the environment are read here, up front; the HTTP machinery
 * (`lb-worker.ts`, node:http, @hono/node-server) loads only when `serve()` is called, so a queue
 * worker never pays for it.
 */
import { readLoadBalancerEnv } from "../protocol/load-balancing.js";
import { parseWorkerFlags } from "./flags.js";
import { claimProcess, keepAliveOnStrayErrors } from "./process-owner.js";
import {
  resolveServeOptions,
  type ServeApp,
  type ServedApp,
  type ServeOptions,
} from "./serve-options.js";
import { shutdownOnSignals } from "./shutdown-signals.js";
import { workerLog } from "./worker.js";

/**
 * Serves `app` as a load-balancing worker: the app on `PORT`, the health check on `PORT_HEALTH`
 * at `HEALTH_CHECK_PATH` (204 while fitness checks and `init` run, 200 when ready, 503 when
 * unhealthy or draining). Throws `ValidationError` for a bad app, option or environment variable.
 * Resolves once the servers listen; the process exits 0 after a SIGTERM drain, 1 when start-up
 * fails.
 */
export function serve(app: ServeApp, options?: ServeOptions): Promise<ServedApp> {
  const env = process.env;
  const argv = process.argv.slice(2);
  const resolved = resolveServeOptions(app, options, env);
  const lb = readLoadBalancerEnv(env);
  claimProcess("serverless.serve()");
  const log = workerLog(env, argv);
  const flags = parseWorkerFlags(argv);
  if (flags.serveApi) {
    // `--rp_serve_api`: the local load balancer, running this file as its workers.
    return import("./serve-lb-api.js").then(({ serveLoadBalancerApi }) =>
      serveLoadBalancerApi(flags, argv, log),
    );
  }
  keepAliveOnStrayErrors(log);
  return import("./lb-worker.js")
    .then(({ LoadBalancerWorker }) => {
      const worker = new LoadBalancerWorker(app, resolved, { lb, env, log });
      shutdownOnSignals(worker, log);
      void worker.exited.then((code) => process.exit(code));
      return worker.listen();
    })
    .catch((error: unknown) => {
      log.error(
        `The load-balancing worker could not start: ${(error as Error)?.message ?? String(error)}`,
      );
      return process.exit(1);
    });
}
