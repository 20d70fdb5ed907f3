/**
 * `node worker.mjs --rp_serve_api` for a `serve()` worker: the local load balancer in this
 * process, in front of this same file started as worker processes (with `PORT`, `PORT_HEALTH`
 * and `HEALTH_CHECK_PATH`, as the platform starts containers). The balancer takes the API port
 * (`--rp_api_port`, default 8000), so the app answers where the queue dev server would; the local
 * platform with its dashboard takes the next one. `--rp_api_concurrency N` allows up to N worker
 * processes. The platform (and Hono) is loaded here by dynamic import, never by a production
 * worker.
 */
import type { WorkerFlags } from "./flags.js";
import { platformLogger, type WorkerLog } from "./log.js";

/** Our own flags: the worker processes run as in production, without them. */
const OWN_VALUE_FLAGS = new Set(["--rp_api_port", "--rp_api_host", "--rp_api_concurrency"]);
const OWN_BOOLEAN_FLAGS = new Set(["--rp_serve_api", "--no-dashboard"]);

/** `argv` without the serve-api flags (`--flag value` and `--flag=value` alike). */
export function workerArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg;
    if (OWN_BOOLEAN_FLAGS.has(name)) continue;
    if (OWN_VALUE_FLAGS.has(name)) {
      if (!arg.includes("=")) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Runs until SIGINT/SIGTERM, then drains the workers and exits 0. */
export async function serveLoadBalancerApi(
  flags: WorkerFlags,
  argv: readonly string[],
  log: WorkerLog,
): Promise<never> {
  const { createLocalPlatform } = await import("../local/index.js");
  const script = process.argv[1] as string;
  const platform = await createLocalPlatform({
    port: flags.apiPort === 0 ? 0 : flags.apiPort + 1,
    host: flags.apiHost,
    dashboard: flags.dashboard,
    logger: platformLogger(log),
    loadBalancer: {
      command: [process.execPath, ...process.execArgv, script, ...workerArgs(argv)],
      port: flags.apiPort,
      workers: { min: 1, max: flags.apiConcurrency ?? 1 },
    },
  });
  const url = platform.loadBalancerUrl as string;
  process.stdout.write(
    `Local load balancer: ${url} (any path goes to a worker; X-Runpod-Worker-Id names it)\n` +
      (flags.dashboard ? `Dashboard: ${platform.url}/\n` : "") +
      `Try: curl -si ${url}/ping\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  log.info("Stopping the load balancer and its workers.");
  await platform.close();
  return process.exit(0);
}
