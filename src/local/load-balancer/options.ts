import * as z from "zod/mini";
import {
  AFFINITY_WAIT_MS,
  DEFAULT_HEALTH_CHECK_PATH,
  isHealthPath,
  LB_PAYLOAD_LIMIT,
  LB_PROCESSING_TIMEOUT_MS,
  LB_REQUEST_TIMEOUT_MS,
  UNHEALTHY_WORKER_GRACE_MS,
} from "../../protocol/load-balancing.js";

const ms = (min = 0) => z.int().check(z.gte(min));

const workersSchema = z
  .strictObject({
    /** Workers kept running even without traffic. Default 0 (scale to zero). */
    min: z._default(z.int().check(z.gte(0), z.lte(64)), 0),
    /** Upper bound of workers; 0 serves nothing (every request waits, then 503). Default 3. */
    max: z._default(z.int().check(z.gte(0), z.lte(64)), 3),
    /** A worker without requests for this long is stopped (never below `min`). Default 10 000. */
    idleTimeoutMs: z._default(ms(1), 10_000),
    /**
     * Request-count scaling: `ceil((waiting + inFlight) / requestCount)` workers are wanted.
     * Default 4 (flash's default scaler value); 1 starts a worker per concurrent request.
     */
    requestCount: z._default(z.int().check(z.gte(1)), 4),
    /**
     * Requests one worker is given at a time; more wait for a free worker. Production leaves
     * concurrency to the worker; set it to make "at capacity" (affinity waits) reproducible.
     * Default: no cap.
     */
    concurrency: z.optional(z.int().check(z.gte(1))),
  })
  .check(z.refine((w) => w.min <= w.max, { message: "min must not exceed max", path: ["min"] }));

/**
 * Options of the local load balancer (`createLocalPlatform({ loadBalancer })`), one definition
 * each with its default. Durations are in milliseconds so tests can shrink them; the defaults are
 * the platform's documented values (spec §4.2, §5.2, §2.3).
 */
export const loadBalancerOptionsSchema = z.strictObject({
  /**
   * The endpoint's id: what REST v2 lists it under, and the name that addresses it as
   * `<id>.localhost`. It must differ from the platform's `endpointId`. Default `local-lb`.
   */
  endpointId: z._default(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/)), "local-lb"),
  /** The worker's command line, e.g. `["node", "worker.mjs"]`; started once per worker. */
  command: z
    .array(z.string().check(z.minLength(1)))
    .check(z.minLength(1, "must name the program to run")),
  /** Working directory of the workers. Default: this process's. */
  cwd: z.optional(z.string().check(z.minLength(1))),
  /** Extra environment of the workers, over this process's own. */
  env: z.optional(z.record(z.string(), z.string())),
  /** Port of the load balancer; `0` picks a free one. Default `0`. Bound on the platform's host. */
  port: z._default(z.int().check(z.gte(0), z.lte(65_535)), 0),
  /** `HEALTH_CHECK_PATH` given to the workers and polled. Default `/ping`. */
  healthPath: z._default(
    z.string().check(z.refine(isHealthPath, 'must start with "/" and hold no query')),
    DEFAULT_HEALTH_CHECK_PATH,
  ),
  /** Give each worker a `PORT_HEALTH` of its own instead of `PORT`. Default false. */
  separateHealthPort: z._default(z.boolean(), false),
  /** Pause between two health polls of a worker. Default 1 000. */
  healthIntervalMs: z._default(ms(1), 1_000),
  workers: z._default(workersSchema, {
    min: 0,
    max: 3,
    idleTimeoutMs: 10_000,
    requestCount: 4,
  }),
  /** How long a request waits for a routable worker, then 503 `no workers available`. */
  requestTimeoutMs: z._default(ms(1), LB_REQUEST_TIMEOUT_MS),
  /** How long one request may run on a worker, then 504. */
  processingTimeoutMs: z._default(ms(1), LB_PROCESSING_TIMEOUT_MS),
  /** Request and response size limit in bytes: 413 for requests, a cut response (502) beyond. */
  payloadLimitBytes: z._default(ms(1), LB_PAYLOAD_LIMIT),
  /** How long a `strict` pin waits for its busy worker, then 400 `worker_timeout`. */
  affinityWaitMs: z._default(ms(1), AFFINITY_WAIT_MS),
  /**
   * A started worker that has not answered one health poll after this long is misconfigured
   * (nothing on its port): requests that only it could serve get 502. Default 30 000.
   */
  startupTimeoutMs: z._default(ms(1), 30_000),
  /** A worker that never turns healthy (or stays unhealthy) this long is stopped and removed. */
  unhealthyGraceMs: z._default(ms(1), UNHEALTHY_WORKER_GRACE_MS),
  /** After SIGTERM, how long a worker may drain before SIGKILL. Default 10 000. */
  stopGraceMs: z._default(ms(0), 10_000),
  /**
   * Where the workers' output lines go. Default: this process's stdout and stderr, each line
   * behind `[worker-id]`.
   */
  output: z.optional(z.custom<WorkerOutput>((v) => typeof v === "function", "expected a function")),
});

/** Receives one line a worker printed. */
export type WorkerOutput = (line: string, workerId: string, stream: "stdout" | "stderr") => void;

export type LoadBalancerOptions = z.input<typeof loadBalancerOptionsSchema>;
export type ResolvedLoadBalancerOptions = z.output<typeof loadBalancerOptionsSchema>;
