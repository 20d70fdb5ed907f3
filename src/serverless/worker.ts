/**
 * The production worker (§A.9, improved): a fetch loop that keeps asking for as many jobs as there
 * are free slots, an executor per job, result delivery, the stop channel and the heartbeat
 * thread. Concurrency can change live without draining. It reads its environment from an explicit
 * record and never touches `process` (signals, exit) itself, so it can also run in-process against
 * the local platform: `start()` owns the process.
 */
import { ValidationError } from "../core/errors.js";
import { userAgent } from "../core/user-agent.js";
import { VERSION } from "../core/version.js";
import type { Job } from "../protocol/job.js";
import { workerUrl } from "../protocol/urls.js";
import type { WorkerLink } from "../protocol/worker-link.js";
import { jobStopUrl, unhealthyPingUrl } from "../protocol/worker-requests.js";
import {
  type Env,
  readWorkerEnv,
  resolveOptions,
  type WorkerEnv,
  type WorkerOptions,
} from "./config.js";
import { Delivery } from "./delivery.js";
import { type ExecuteDeps, executeJob } from "./executor.js";
import { runFetchLoop } from "./fetch-loop.js";
import { runFitnessChecks } from "./fitness.js";
import { parseWorkerFlags } from "./flags.js";
import { type Heartbeat, startHeartbeat } from "./heartbeat.js";
import { WorkerHttp } from "./http.js";
import { type AbortLike, JobAbort } from "./job-abort.js";
import { JobAbortedError } from "./job-aborted-error.js";
import { JobIdMirror } from "./job-id-mirror.js";
import { startLinkedHeartbeat } from "./linked-heartbeat.js";
import { parseLogLevel, WorkerLog, type WorkerLogLevel } from "./log.js";
import { runStopChannel } from "./stop-channel.js";
import type { StartOptions } from "./types.js";
import { Wakeup } from "./wakeup.js";

export interface WorkerRuntime {
  /** The environment to read (§A.1); `start()` passes `process.env`. */
  env: Env;
  /** Command-line arguments after the script (for `--rp_log_level`). */
  argv?: readonly string[];
  /** Run the registered fitness checks before taking jobs (production only). @default true */
  fitnessChecks?: boolean;
  /** Where log lines go; stdout by default. */
  log?: WorkerLog;
  /** A platform in this process (`--rp_serve_api`): requests go through its link, without sockets. */
  link?: WorkerLink;
}

export interface ProductionWorker {
  /** The id substituted into the platform URLs (`RUNPOD_POD_ID` or a random UUID). */
  readonly workerId: string;
  /** Runs until shut down and every job's result was delivered; resolves with the exit code. */
  run(): Promise<number>;
  /**
   * Starts no new job-take and lets running and queued jobs finish, and the job-take in flight
   * come back: jobs it brings are run too (see `shutdownGraceMs`).
   */
  shutdown(reason?: string): void;
}

interface Run {
  job: Job;
  started: boolean;
  /** Aborts the job's `ctx.signal` (stop, timeout, shutdown), and its stream chunks and progress posts. */
  controller: JobAbort;
  /** Aborts the final result's delivery: only a platform stop does, since a stopped job posts nothing. */
  delivery: JobAbort;
  /** When its handler ended and result delivery began (`performance.now()`), if it has. */
  deliveringSince?: number;
}

/** Builds the worker logger from env and flags: JSON lines on the platform, text elsewhere. */
export function workerLog(env: Env, argv: readonly string[] = []): WorkerLog {
  const flags = parseWorkerFlags(argv);
  const raw = flags.logLevel ?? env.RUNPOD_LOG_LEVEL ?? env.RUNPOD_DEBUG_LEVEL;
  const source = flags.logLevel !== undefined ? "--rp_log_level" : "RUNPOD_LOG_LEVEL";
  const level: WorkerLogLevel = raw ? parseLogLevel(raw, source) : "DEBUG";
  return new WorkerLog(level, Boolean(env.RUNPOD_ENDPOINT_ID));
}

/** Creates a production worker for `options` against the platform described by `runtime.env`. */
export function createWorker<Input, Result>(
  options: StartOptions<Input, Result>,
  runtime: WorkerRuntime,
): ProductionWorker {
  const resolved = resolveOptions(options, runtime.env);
  const env = readWorkerEnv(runtime.env);
  const log = runtime.log ?? workerLog(runtime.env, runtime.argv);
  return new QueueWorker(resolved, env, runtime, log);
}

/** How long, and how many, stops for jobs not yet received are remembered (see `earlyStops`). */
/** Sockets to the platform when concurrency is a function: room for that many slots' results. */
const DYNAMIC_CONCURRENCY_SOCKETS = 64;

/** One socket per job slot for results, plus the job-take and job-stop long polls. */
function socketsFor(concurrency: WorkerOptions["concurrency"]): number {
  return (typeof concurrency === "number" ? concurrency : DYNAMIC_CONCURRENCY_SOCKETS) + 2;
}

/**
 * A slot whose job is delivering its result counts as free for the next job-take while the
 * delivery is this young: the take travels while the result does, and on a platform across the
 * internet waiting for both in turn halves throughput. Jobs taken ahead wait in the queue until
 * the slot really frees (one round trip); a delivery that takes longer (retries) holds its slot.
 */
const TAKE_AHEAD_MS = 1_000;

const EARLY_STOP_TTL_MS = 30_000;
const EARLY_STOP_MAX = 1_000;

class QueueWorker implements ProductionWorker {
  readonly workerId: string;
  private readonly http: WorkerHttp;
  private readonly delivery: Delivery;
  private readonly execDeps: ExecuteDeps;
  /** The in-progress ids for the heartbeat thread, made with it: nothing else reads them. */
  private mirror: JobIdMirror | undefined;
  private readonly inProgress = new Map<string, Run>();
  private readonly queue: Run[] = [];
  /**
   * Stops that named a job this worker did not have yet, with when they came. The job-take answer
   * and the stop travel on different connections, so a job cancelled right after it was handed out
   * can be stopped before it arrives; it must then not run. Kept briefly: the race is that short,
   * and a later retry of the same id must run.
   */
  private readonly earlyStops = new Map<string, number>();
  private running = 0;
  /** Runs whose result is being delivered (each has `deliveringSince`). */
  private delivering = 0;
  private limit: number;
  /** Shutdown: no new job-take. Not an `AbortController`: every full-capacity wait listens to it (job-abort.ts). */
  private readonly fetchStop = new JobAbort();
  /** The shutdown grace ran out: the job-take in flight is abandoned too (every take listens to it). */
  private readonly fetchAbort = new JobAbort();
  private readonly stopChannelAbort = new AbortController();
  private readonly changed = new Wakeup();
  private shuttingDown = false;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: WorkerOptions,
    private readonly env: WorkerEnv,
    private readonly runtime: WorkerRuntime,
    private readonly log: WorkerLog,
  ) {
    this.workerId = env.workerId;
    this.limit = typeof options.concurrency === "number" ? options.concurrency : 1;
    this.http = new WorkerHttp(
      env.apiKey,
      userAgent(),
      runtime.link ? { link: runtime.link } : { sockets: socketsFor(options.concurrency) },
    );
    this.delivery = new Delivery(this.http, env, log);
    const retry = { windowMs: options.resultRetryWindowMs };
    this.execDeps = {
      options,
      log,
      origin: { hostname: env.hostname, workerId: env.reportedWorkerId, runpodVersion: VERSION },
      sendChunk: (jobId, json, abort) => this.delivery.chunk(jobId, json, { ...retry, abort }),
      sendProgress: (jobId, json, abort) =>
        // Progress is not worth holding the final result for long: a short window.
        this.delivery.progress(jobId, json, { windowMs: Math.min(30_000, retry.windowMs), abort }),
    };
  }

  async run(): Promise<number> {
    const takeUrl = this.env.takeUrl;
    if (!takeUrl) {
      throw new ValidationError("worker environment", [
        { path: ["RUNPOD_WEBHOOK_GET_JOB"], message: "must be set to run a production worker" },
      ]);
    }
    // The take's connection opens while the fitness checks run; no request goes out before they pass.
    this.http.preconnect(takeUrl);
    if (this.runtime.fitnessChecks !== false) {
      const fitness = await runFitnessChecks(this.log, this.runtime.env);
      if (!fitness.ok) {
        await this.reportUnhealthy(fitness.check, fitness.reason);
        this.log.error("Worker is unhealthy, exiting.");
        await this.http.destroy();
        return 1;
      }
    }
    const stopUrl = jobStopUrl(takeUrl);
    if (!stopUrl)
      this.log.warn(
        "RUNPOD_WEBHOOK_GET_JOB has no /job-take/ segment: the per-job stop channel is off.",
      );
    // The heartbeat thread and the stop channel start once the first job-take is on its way:
    // each opens a connection (TLS on the platform) and the thread boots a V8 isolate, which
    // would otherwise hold up the first take, and a cold start is billed (`npm run bench:worker`).
    let heartbeat: Heartbeat | undefined;
    let stopChannel: Promise<void> = Promise.resolve();
    let background = false;
    const startBackground = () => {
      if (background) return;
      background = true;
      heartbeat = this.startHeartbeat();
      if (stopUrl) {
        stopChannel = runStopChannel({
          http: this.http,
          stopUrl,
          log: this.log,
          stop: (id) => this.stop(id),
          signal: this.stopChannelAbort.signal,
        });
      }
    };
    try {
      await runFetchLoop({
        http: this.http,
        takeUrl,
        log: this.log,
        capacity: (signal) => this.capacity(signal),
        busy: () => this.inProgress.size > 0,
        accept: (jobs) => this.accept(jobs),
        stop: this.fetchStop,
        abort: this.fetchAbort,
        firstTakeSent: startBackground,
      });
      while (this.inProgress.size > 0) await this.changed.wait();
    } finally {
      if (this.graceTimer) clearTimeout(this.graceTimer);
      this.stopChannelAbort.abort();
      await stopChannel;
      await heartbeat?.stop();
      await this.http.destroy();
    }
    this.log.info("Worker stopped.");
    return 0;
  }

  shutdown(reason = "shutdown requested"): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log.info(
      `Shutting down (${reason}): no new jobs; finishing ${this.inProgress.size} in progress.`,
    );
    // A job-take in flight is waited for, not abandoned: jobs it brings back would be lost.
    this.fetchStop.abort();
    this.changed.notify();
    const grace = this.options.shutdownGraceMs;
    if (grace !== undefined) this.graceTimer = setTimeout(() => this.abortAll(grace), grace);
  }

  /** The shutdown grace ran out: the job-take in flight is abandoned, running jobs fail. */
  private abortAll(grace: number): void {
    this.fetchAbort.abort();
    for (const run of this.inProgress.values()) {
      run.controller.abort(
        new JobAbortedError(
          run.job.id,
          "shutdown",
          `The worker shut down before job ${run.job.id} finished (shutdownGraceMs ${grace} ms)`,
        ),
      );
    }
    // Queued jobs fail at once instead of waiting for a slot.
    this.limit = Math.max(this.limit, this.inProgress.size);
    this.startQueued();
  }

  private startHeartbeat(): Heartbeat | undefined {
    const rawPodId = this.runtime.env.RUNPOD_POD_ID;
    if (!this.env.apiKey || !rawPodId || !this.env.pingTemplate) {
      this.log.debug(
        "Heartbeat not started: RUNPOD_AI_API_KEY, RUNPOD_POD_ID or RUNPOD_WEBHOOK_PING is not set.",
      );
      return undefined;
    }
    const pingUrl = workerUrl(this.env.pingTemplate, this.env.workerId);
    if (this.runtime.link) {
      // The platform is in this process: no thread (and V8 isolate) for its pings.
      return startLinkedHeartbeat({
        pingUrl,
        version: VERSION,
        intervalMs: this.env.pingIntervalMs,
        jobIds: () => this.inProgress.keys(),
        http: this.http,
        log: this.log,
      });
    }
    this.mirror = new JobIdMirror();
    this.mirror.write(this.inProgress.keys());
    return startHeartbeat({
      pingUrl,
      version: VERSION,
      apiKey: this.env.apiKey,
      userAgent: userAgent(),
      intervalMs: this.env.pingIntervalMs,
      mirror: this.mirror,
      heldLines: this.log.heldLines,
      log: this.log,
    });
  }

  private async reportUnhealthy(check: string, reason: string): Promise<void> {
    if (!this.env.pingTemplate) return;
    const url = unhealthyPingUrl(
      workerUrl(this.env.pingTemplate, this.env.workerId),
      check,
      reason,
      VERSION,
    );
    try {
      await this.http.get(url, "unhealthy ping", { timeoutMs: 2_000 });
    } catch {
      // Best effort, as in Python: the exit code still tells the platform.
    }
  }

  /** Asks the concurrency callback (if any); bad answers are logged and ignored. */
  private async refreshConcurrency(): Promise<void> {
    const modifier = this.options.concurrency;
    if (typeof modifier === "number") return;
    let next: unknown;
    try {
      next = await modifier(this.limit);
    } catch (error) {
      this.log.warn(
        `The concurrency function threw (${(error as Error)?.message ?? String(error)}); keeping ${this.limit}.`,
      );
      return;
    }
    if (typeof next !== "number" || !Number.isInteger(next) || next < 1) {
      this.log.warn(
        `The concurrency function returned ${String(next)}, not a positive integer; keeping ${this.limit}.`,
      );
      return;
    }
    if (next !== this.limit) {
      this.log.info(`Concurrency changed from ${this.limit} to ${next}.`);
      this.limit = next;
      this.startQueued();
    }
  }

  private async capacity(signal: AbortLike): Promise<number | undefined> {
    for (;;) {
      // Counted a turn later: jobs of one take that end in this turn (their results already on
      // their way) go in one take, not in one take each, and a result leaves before the take.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.shuttingDown || signal.aborted) return undefined;
      await this.refreshConcurrency();
      const free = this.limit - this.inProgress.size + this.deliveringSoonFree();
      if (free > 0) return free;
      // A callback may raise the limit at any time: ask it again every second while full.
      await this.changed.wait(
        typeof this.options.concurrency === "function" ? 1_000 : undefined,
        signal,
      );
    }
  }

  /** Slots that free within a round trip: young deliveries (see TAKE_AHEAD_MS). */
  private deliveringSoonFree(): number {
    if (this.delivering === 0 || this.options.refreshWorker) return 0;
    const since = performance.now() - TAKE_AHEAD_MS;
    let soon = 0;
    for (const run of this.inProgress.values()) {
      if (run.deliveringSince !== undefined && run.deliveringSince > since) soon++;
    }
    return soon;
  }

  private accept(jobs: Job[]): void {
    for (const job of jobs) {
      if (this.takeEarlyStop(job.id)) {
        this.log.info("Stop signal arrived before the job; not running it.", job.id);
        continue;
      }
      if (this.inProgress.has(job.id)) {
        this.log.warn("Job is already in progress on this worker; ignoring the duplicate.", job.id);
        continue;
      }
      const run: Run = {
        job,
        started: false,
        controller: new JobAbort(),
        delivery: new JobAbort(),
      };
      this.inProgress.set(job.id, run);
      this.queue.push(run);
    }
    this.mirror?.write(this.inProgress.keys());
    this.log.info(`Jobs in queue: ${this.queue.length}`);
    this.startQueued();
  }

  private startQueued(): void {
    while (this.running < this.limit && this.queue.length > 0) {
      const run = this.queue.shift() as Run;
      run.started = true;
      this.running++;
      void this.runJob(run);
    }
  }

  private async runJob(run: Run): Promise<void> {
    const { job } = run;
    // Every line about this job, until it is handled, carries its batch id (batch-jobs.md §5).
    if (job.batchId) this.log.enterBatchJob(job.id, String(job.batchId));
    try {
      this.log.info("Started.", job.id);
      // The handler may hold the thread for long: what was logged must still come out.
      this.log.handOff();
      const outcome = await executeJob(job, run.controller, this.execDeps);
      if (outcome.kind === "stopped") {
        this.log.info("Job stopped.", job.id);
      } else {
        run.deliveringSince = performance.now();
        this.delivering++;
        this.changed.notify();
        try {
          await this.delivery.result(job.id, outcome.json, outcome.isStream, {
            windowMs: this.options.resultRetryWindowMs,
            abort: run.delivery,
          });
        } finally {
          this.delivering--;
        }
        this.log.info("Finished.", job.id);
      }
    } catch (error) {
      // executeJob and delivery do not throw; this is a last line of defence.
      this.log.error(`Error handling job: ${(error as Error)?.message ?? String(error)}`, job.id);
    } finally {
      this.log.leaveBatchJob(job.id);
      this.running--;
      this.inProgress.delete(job.id);
      this.mirror?.write(this.inProgress.keys());
      this.startQueued();
      this.changed.notify();
      if (this.options.refreshWorker) this.shutdown("refreshWorker: one job per worker");
    }
  }

  /** A stop from the platform: abort the job's signal; nothing will be posted for it. */
  private stop(jobId: string): void {
    const run = this.inProgress.get(jobId);
    if (!run) {
      this.log.debug(`Stop signal for job ${jobId}, which is not here (yet); remembered briefly.`);
      this.rememberEarlyStop(jobId);
      return;
    }
    this.log.info("Stopping job.", jobId);
    run.controller.abort(
      new JobAbortedError(
        jobId,
        "stopped",
        `The platform stopped job ${jobId} (cancelled, expired or timed out)`,
      ),
    );
    run.delivery.abort();
    if (!run.started) {
      this.queue.splice(this.queue.indexOf(run), 1);
      this.inProgress.delete(jobId);
      this.mirror?.write(this.inProgress.keys());
      this.log.info("Job stopped.", jobId);
      this.changed.notify();
    }
  }

  private rememberEarlyStop(jobId: string): void {
    const now = Date.now();
    for (const [id, at] of this.earlyStops) {
      if (now - at > EARLY_STOP_TTL_MS || this.earlyStops.size >= EARLY_STOP_MAX) {
        this.earlyStops.delete(id);
      } else break; // insertion order is arrival order: the rest are newer
    }
    this.earlyStops.set(jobId, now);
  }

  private takeEarlyStop(jobId: string): boolean {
    const at = this.earlyStops.get(jobId);
    if (at === undefined) return false;
    this.earlyStops.delete(jobId);
    return Date.now() - at <= EARLY_STOP_TTL_MS;
  }
}
