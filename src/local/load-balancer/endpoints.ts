import { RunpodError } from "../../core/errors.js";
import { type LoadBalancer, type LoadBalancerContext, startLoadBalancer } from "./index.js";
import type { ResolvedLoadBalancerOptions } from "./options.js";
import type { LbEndpointSnapshot, LbWorkerSnapshot } from "./snapshots.js";

/** One running load-balancing endpoint: its balancer, where it answers, and how it was set up. */
export interface LbEndpoint {
  readonly id: string;
  readonly options: ResolvedLoadBalancerOptions;
  /** Its base URL, e.g. `http://127.0.0.1:8001`; any path under it goes to a worker. */
  readonly url: string;
  /** Epoch milliseconds of its start. */
  readonly createdAt: number;
  workers(): LbWorkerSnapshot[];
  /** Replaces every worker with a fresh process; resolves once the old ones have drained. */
  restartWorkers(): Promise<void>;
}

/**
 * The platform's load-balancing endpoints: the one of the `loadBalancer` option, and those created
 * through REST v2 (`POST /v2/serverless`), each a balancer on a port of its own in front of its
 * own worker processes. All report to the platform's observers (`subscribe()`, the dashboard, the
 * CLI's log), and their workers are numbered across the platform (`lb-worker-1`, `lb-worker-2`,
 * …) so a worker id names one worker, as production's do. Closing closes them all.
 */
export class LbEndpoints {
  readonly #ctx: LoadBalancerContext;
  readonly #urlHost: string;
  readonly #running = new Map<string, { endpoint: LbEndpoint; balancer: LoadBalancer }>();
  #workers = 0;
  #closing: Promise<void> | undefined;

  /** `urlHost`: the bound interface as a URL host (wildcard binds are reached over loopback). */
  constructor(ctx: Omit<LoadBalancerContext, "newWorkerId">, urlHost: string) {
    this.#ctx = { ...ctx, newWorkerId: () => `lb-worker-${++this.#workers}` };
    this.#urlHost = urlHost;
  }

  /** Starts a balancer, and tells the platform's observers (`lb-endpoint`). */
  async start(options: ResolvedLoadBalancerOptions): Promise<LbEndpoint> {
    if (this.#closing !== undefined) throw new RunpodError("the local platform is closing");
    const balancer = await startLoadBalancer(options, this.#ctx);
    if (this.#closing !== undefined) {
      // close() began while this one started: it would not have seen it.
      await balancer.close();
      throw new RunpodError("the local platform is closing");
    }
    const endpoint: LbEndpoint = {
      id: options.endpointId,
      options,
      url: `http://${this.#urlHost}:${balancer.port}`,
      createdAt: Date.now(),
      workers: () => balancer.workers(),
      restartWorkers: () => balancer.restartWorkers(),
    };
    this.#running.set(endpoint.id, { endpoint, balancer });
    this.#ctx.events.emit({ type: "lb-endpoint", endpoint: lbEndpointSnapshot(endpoint) });
    return endpoint;
  }

  get(id: string): LbEndpoint | undefined {
    return this.#running.get(id)?.endpoint;
  }

  list(): LbEndpoint[] {
    return [...this.#running.values()].map((r) => r.endpoint);
  }

  /** Drains and stops every balancer's workers (in-flight requests finish), then their servers. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([...this.#running.values()].map((r) => r.balancer.close())).then(
      () => undefined,
    );
    return this.#closing;
  }
}

export function lbEndpointSnapshot(e: LbEndpoint): LbEndpointSnapshot {
  return { id: e.id, url: e.url, createdAt: e.createdAt };
}
