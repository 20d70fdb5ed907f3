import type { JobDoneOutcome } from "../protocol/job-done.js";
import { canTransition, isTerminal, type JobState } from "../protocol/job-states.js";
import type { RunRequest } from "../protocol/run-request.js";
import type { EndpointHealth, JobStatus, WebhookPayload } from "../protocol/status.js";
import type { EventBus, JobSnapshot } from "./events.js";
import type { Hangup } from "./hangup.js";
import { JobQueue } from "./job-queue.js";
import { KeyedWaiters } from "./waiters.js";
import type { WorkerRegistry } from "./worker-registry.js";

export interface JobStoreTimings {
  runRetentionMs: number;
  syncRetentionMs: number;
  /** Final jobs kept readable at most; past it the oldest final job is deleted first. */
  maxFinishedJobs: number;
  executionTimeoutMs: number;
  ttlMs: number;
  /** Interactive jobs taken in a row, while batch jobs wait, before one batch job (job-queue.ts). */
  interactiveBurst: number;
}

/** Why a job was deleted: it then answers 404. */
export type RemovalReason = "ttl" | "retention" | "purged";

type StreamChunk = { output: unknown; [key: string]: unknown };

interface JobRecord {
  id: string;
  request: RunRequest;
  sync: boolean;
  /** The batch this job is a request of (batch-jobs.md §5); workers receive it as `batchId`. */
  batchId?: string;
  createdAt: number;
  status: JobState;
  /** Monotonic clock (performance.now) when it last entered the queue and when it started. */
  queuedAt: number;
  startedAt?: number;
  delayTime?: number;
  executionTime?: number;
  hasOutput: boolean;
  output?: unknown;
  error?: string;
  workerId?: string;
  retries: number;
  chunks: StreamChunk[];
  /** Monotonic clock when its TTL deletes it (counted from submission, in any state). */
  expiresAt: number;
  /**
   * At most one deletion timer and one execution timer at a time: a final job keeps only the one
   * that fires first (TTL or retention), so the up to `maxFinishedJobs` final jobs hold one timer
   * each rather than three (two of them cleared, still referenced), about 0.4 KB less per job.
   */
  removalTimer: NodeJS.Timeout | undefined;
  execTimer: NodeJS.Timeout | undefined;
}

interface Taker {
  workerId: string;
  max: number;
  resolve(jobs: JobRecord[]): void;
}

/** What happened to a worker's report about a job. */
export type ReportResult = "accepted" | "ignored" | "unknown";

/**
 * The queue and the job state machine. Every state change goes through `#move`, which consults
 * the one transition table of src/protocol/job-states.ts, so a late report can never resurrect a
 * CANCELLED or TIMED_OUT job. Timers (TTL, execution timeout, retention) are unref'ed and cleared
 * by `close()`.
 */
export class JobStore {
  readonly #jobs = new Map<string, JobRecord>();
  /** IN_QUEUE jobs: interactive ones in FIFO order, batches' beside them (job-queue.ts). */
  readonly #queue: JobQueue<JobRecord>;
  readonly #inProgress = new Set<string>();
  /**
   * Final jobs in the order they ended (a Set iterates in insertion order), so the oldest is the
   * first evicted when `maxFinishedJobs` is reached: retention alone would let a fast /runsync loop
   * hold a minute of results (hundreds of MB) in memory.
   */
  readonly #finished = new Set<JobRecord>();
  #takers: Taker[] = [];
  readonly #finalWaiters = new KeyedWaiters<string, true>();
  readonly #streamWaiters = new KeyedWaiters<string, true>();
  readonly #counters = { completed: 0, failed: 0, retried: 0 };
  #closed = false;
  /** Workers being shut down (see `drain`). */
  readonly #draining = new Set<string>();
  /** Told of every change to a batch job (the batch store keeps its counts and results). */
  onBatchJob: ((job: JobRecord, removed?: RemovalReason) => void) | undefined;

  constructor(
    private readonly timings: JobStoreTimings,
    private readonly workers: WorkerRegistry,
    private readonly events: EventBus,
    /** Called for COMPLETED and FAILED jobs that have a webhook (§B.5); must not block. */
    private readonly sendWebhook: (payload: WebhookPayload) => void,
  ) {
    this.#queue = new JobQueue(timings.interactiveBurst);
  }

  get(id: string): JobRecord | undefined {
    return this.#jobs.get(id);
  }

  submit(request: RunRequest, sync: boolean): JobRecord {
    const job = this.#create(`${sync ? "sync-" : ""}${crypto.randomUUID()}-u1`, request, sync);
    this.#enqueue(job);
    return job;
  }

  /** Queues a finalized batch's requests as jobs with the requests' ids (batch-jobs.md §8.6). */
  submitBatch(batchId: string, requests: ReadonlyArray<{ id: string; request: RunRequest }>) {
    const jobs = requests.map(({ id, request }) => this.#create(id, request, false, batchId));
    for (const job of jobs) this.#queue.add(job);
    this.#handToTakers();
  }

  /** Jobs of batches waiting in the queue. */
  get queuedBatchJobs(): number {
    return this.#queue.batchSize;
  }

  #create(id: string, request: RunRequest, sync: boolean, batchId?: string): JobRecord {
    const now = performance.now();
    const ttl = request.policy?.ttl ?? this.timings.ttlMs;
    const job: JobRecord = {
      id,
      request,
      sync,
      createdAt: Date.now(),
      status: "IN_QUEUE",
      queuedAt: now,
      hasOutput: false,
      retries: 0,
      chunks: [],
      expiresAt: now + ttl,
      removalTimer: undefined,
      execTimer: undefined,
    };
    if (batchId !== undefined) job.batchId = batchId;
    this.#jobs.set(id, job);
    job.removalTimer = this.#timer(ttl, () => this.#remove(job, "ttl"));
    // Observers see IN_QUEUE before a held job-take may start it.
    this.#emit(job);
    return job;
  }

  // ---- worker side ------------------------------------------------------------------------

  /** Up to `max` queued jobs for `workerId`, now (possibly none). */
  take(workerId: string, max: number): JobRecord[] {
    const taken: JobRecord[] = [];
    while (taken.length < max) {
      const job = this.#queue.shift();
      if (!job) break;
      this.#start(job, workerId);
      taken.push(job);
    }
    return taken;
  }

  /** The job-take long poll: jobs as soon as any is queued, or none after `holdMs`. */
  waitTake(workerId: string, max: number, holdMs: number, signal?: Hangup): Promise<JobRecord[]> {
    if (this.#draining.has(workerId)) return Promise.resolve([]);
    const now = this.take(workerId, max);
    if (now.length > 0 || this.#closed || signal?.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const taker: Taker = {
        workerId,
        max,
        resolve: (jobs) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(jobs);
        },
      };
      const drop = () => {
        this.#takers = this.#takers.filter((t) => t !== taker);
        taker.resolve([]);
      };
      const onAbort = () => drop();
      const timer = setTimeout(drop, holdMs);
      timer.unref();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#takers.push(taker);
    });
  }

  /**
   * Hands `workerId` no more jobs while it shuts down: its held job-take answers with none at
   * once, and its later ones too, without being held. A worker waits for its take in flight
   * before it exits (the take may bring jobs), so it is not left waiting out the long poll.
   * Results, stream chunks and stops still go through. The returned function ends the drain
   * (a fresh process may reuse the id).
   */
  drain(workerId: string): () => void {
    this.#draining.add(workerId);
    const held = this.#takers.filter((t) => t.workerId === workerId);
    this.#takers = this.#takers.filter((t) => t.workerId !== workerId);
    for (const taker of held) taker.resolve([]);
    return () => this.#draining.delete(workerId);
  }

  /** A job-done POST. Progress keeps the job IN_PROGRESS with the new output. */
  report(workerId: string, jobId: string, outcome: JobDoneOutcome): ReportResult {
    const job = this.#jobs.get(jobId);
    if (!job) return "unknown";
    // Only the worker running the job may move it, and only along the table.
    if (job.workerId !== workerId || !canTransition(job.status, outcome.state)) return "ignored";
    if (Object.hasOwn(outcome, "output")) {
      job.hasOutput = true;
      job.output = outcome.output;
    }
    if (outcome.stopPod) this.workers.requestRefresh(workerId);
    if (outcome.state === "IN_PROGRESS") {
      this.#emit(job, "IN_PROGRESS");
      this.#streamWaiters.notify(job.id, true);
      return "accepted";
    }
    if (outcome.error !== undefined) job.error = outcome.error;
    if (outcome.state === "COMPLETED") this.#counters.completed++;
    else this.#counters.failed++;
    this.#finish(job, outcome.state);
    return "accepted";
  }

  /** A job-stream POST: the chunk waits in the job's buffer until `/stream` drains it. */
  appendChunk(workerId: string, jobId: string, chunk: StreamChunk): ReportResult {
    const job = this.#jobs.get(jobId);
    if (!job) return "unknown";
    if (job.workerId !== workerId || job.status !== "IN_PROGRESS") return "ignored";
    job.chunks.push(chunk);
    if (this.events.active) this.events.emit({ type: "stream-chunk", id: job.id, chunk });
    this.#streamWaiters.notify(job.id, true);
    return "accepted";
  }

  // ---- client side ------------------------------------------------------------------------

  /** Holds until the job is final or deleted, or `waitMs` elapses. */
  async waitFinal(id: string, waitMs: number, signal?: Hangup): Promise<void> {
    const job = this.#jobs.get(id);
    if (!job || isTerminal(job.status)) return;
    await this.#finalWaiters.wait(id, waitMs, signal);
  }

  /** Returns the chunks since the last read, waiting up to `waitMs` for one if there are none. */
  async drainStream(
    id: string,
    waitMs: number,
    signal?: Hangup,
  ): Promise<{ status: JobState; stream: StreamChunk[] } | undefined> {
    let job = this.#jobs.get(id);
    if (job && job.chunks.length === 0 && !isTerminal(job.status)) {
      await this.#streamWaiters.wait(id, waitMs, signal);
      job = this.#jobs.get(id);
    }
    if (!job) return undefined;
    return { status: job.status, stream: job.chunks.splice(0) };
  }

  cancel(id: string): JobRecord | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    if (!canTransition(job.status, "CANCELLED")) return job;
    const workerId = job.status === "IN_PROGRESS" ? job.workerId : undefined;
    this.#finish(job, "CANCELLED");
    if (workerId !== undefined) this.workers.pushStop(workerId, id);
    return job;
  }

  /** FAILED or TIMED_OUT back to IN_QUEUE with the same id; `undefined` if unknown. */
  retry(id: string): { job: JobRecord; retried: boolean } | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    if (job.status === "IN_QUEUE" || !canTransition(job.status, "IN_QUEUE")) {
      return { job, retried: false };
    }
    // Back to its TTL, from submission, in place of its retention.
    clearTimeout(job.removalTimer);
    job.removalTimer = this.#timer(Math.max(0, job.expiresAt - performance.now()), () =>
      this.#remove(job, "ttl"),
    );
    this.#finished.delete(job);
    job.retries++;
    this.#counters.retried++;
    job.hasOutput = false;
    delete job.output;
    delete job.error;
    delete job.delayTime;
    delete job.executionTime;
    delete job.startedAt;
    delete job.workerId;
    job.chunks = [];
    const previous = job.status;
    this.#move(job, "IN_QUEUE");
    job.queuedAt = performance.now();
    this.#emit(job, previous);
    this.#enqueue(job);
    return { job, retried: true };
  }

  /** Deletes every queued job; running ones continue. */
  purgeQueue(): number {
    const queued = [...this.#queue.values()];
    for (const job of queued) this.#remove(job, "purged");
    return queued.length;
  }

  jobCounts(): EndpointHealth["jobs"] {
    return {
      completed: this.#counters.completed,
      failed: this.#counters.failed,
      inProgress: this.#inProgress.size,
      inQueue: this.#queue.size,
      retried: this.#counters.retried,
    };
  }

  statusOf(job: JobRecord): JobStatus {
    const s: JobStatus = { id: job.id, status: job.status };
    if (job.delayTime !== undefined) s.delayTime = job.delayTime;
    if (job.executionTime !== undefined) s.executionTime = job.executionTime;
    if (job.hasOutput) s.output = job.output;
    if (job.error !== undefined) s.error = job.error;
    if (job.workerId !== undefined) s.workerId = job.workerId;
    if (job.retries > 0) s.retries = job.retries;
    return s;
  }

  snapshotOf(job: JobRecord): JobSnapshot {
    // Made for every change while the dashboard records: extend the fresh status, do not copy it.
    const s = this.statusOf(job) as JobSnapshot;
    s.input = job.request.input;
    s.sync = job.sync;
    s.createdAt = job.createdAt;
    if (job.request.webhook !== undefined) s.webhook = job.request.webhook;
    return s;
  }

  /** Every job currently known, for tools and dashboards. */
  list(): JobSnapshot[] {
    return [...this.#jobs.values()].map((j) => this.snapshotOf(j));
  }

  /** After `close()`: waits end at once, so a loop of waits must stop on its own. */
  get closed(): boolean {
    return this.#closed;
  }

  /** job-take, runsync, status-sync and stream requests being held. */
  get heldRequests(): number {
    return this.#takers.length + this.#finalWaiters.size + this.#streamWaiters.size;
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#takers.splice(0)) t.resolve([]);
    this.#finalWaiters.closeAll();
    this.#streamWaiters.closeAll();
    for (const job of this.#jobs.values()) clearJobTimers(job);
  }

  // ---- internals --------------------------------------------------------------------------

  #timer(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  }

  #enqueue(job: JobRecord): void {
    this.#queue.add(job);
    this.#handToTakers();
  }

  /** Hands queued jobs straight to held job-takes, oldest request first. */
  #handToTakers(): void {
    while (this.#takers.length > 0 && this.#queue.size > 0) {
      const taker = this.#takers.shift() as Taker;
      taker.resolve(this.take(taker.workerId, taker.max));
    }
  }

  #start(job: JobRecord, workerId: string): void {
    const previous = job.status;
    this.#move(job, "IN_PROGRESS");
    this.#queue.delete(job);
    this.#inProgress.add(job.id);
    job.workerId = workerId;
    job.startedAt = performance.now();
    job.delayTime = Math.round(job.startedAt - job.queuedAt);
    const limit = job.request.policy?.executionTimeout ?? this.timings.executionTimeoutMs;
    job.execTimer = this.#timer(limit, () => this.#timeOut(job));
    this.workers.jobStarted(workerId, job.id);
    this.#emit(job, previous);
  }

  #timeOut(job: JobRecord): void {
    if (job.status !== "IN_PROGRESS" || !canTransition(job.status, "TIMED_OUT")) return;
    const workerId = job.workerId as string;
    this.#finish(job, "TIMED_OUT");
    this.workers.pushStop(workerId, job.id);
  }

  /** Into a final state: timings, retention, observers. */
  #finish(job: JobRecord, state: JobState): void {
    const previous = job.status;
    this.#move(job, state);
    clearTimeout(job.execTimer);
    job.execTimer = undefined;
    this.#queue.delete(job);
    if (this.#inProgress.delete(job.id) && job.startedAt !== undefined) {
      job.executionTime = Math.round(performance.now() - job.startedAt);
    }
    if (job.workerId !== undefined) this.workers.jobEnded(job.workerId, job.id);
    const keep = job.sync ? this.timings.syncRetentionMs : this.timings.runRetentionMs;
    // TTL deletes a job in any state: a TTL that ends before the retention keeps its timer.
    if (job.expiresAt > performance.now() + keep) {
      clearTimeout(job.removalTimer);
      job.removalTimer = this.#timer(keep, () => this.#remove(job, "retention"));
    }
    this.#finished.add(job);
    if (this.#finished.size > this.timings.maxFinishedJobs) {
      const oldest = this.#finished.values().next().value as JobRecord;
      this.#remove(oldest, "retention");
    }
    this.#emit(job, previous);
    this.#finalWaiters.notify(job.id, true);
    this.#streamWaiters.notify(job.id, true);
    const webhook = job.request.webhook;
    if (webhook !== undefined && (state === "COMPLETED" || state === "FAILED")) {
      this.sendWebhook({ ...this.statusOf(job), input: job.request.input, webhook });
    }
  }

  /** Deletion (TTL, retention, purge): the job answers 404 from now on. */
  #remove(job: JobRecord, reason: RemovalReason): void {
    if (this.#jobs.get(job.id) !== job) return;
    clearJobTimers(job);
    this.#jobs.delete(job.id);
    this.#finished.delete(job);
    this.#queue.delete(job);
    if (this.#inProgress.delete(job.id) && job.workerId !== undefined) {
      // TTL covers execution too: the worker is told to stop.
      this.workers.jobEnded(job.workerId, job.id);
      this.workers.pushStop(job.workerId, job.id);
    }
    if (job.batchId !== undefined) this.onBatchJob?.(job, reason);
    if (this.events.active) this.events.emit({ type: "job-removed", id: job.id, reason });
    this.#finalWaiters.notify(job.id, true);
    this.#streamWaiters.notify(job.id, true);
  }

  /** The one place a state changes; an illegal move is a bug here, never a client's fault. */
  #move(job: JobRecord, to: JobState): void {
    if (!canTransition(job.status, to)) {
      throw new Error(`local platform bug: job ${job.id} cannot go from ${job.status} to ${to}`);
    }
    job.status = to;
  }

  #emit(job: JobRecord, previous?: JobState): void {
    if (job.batchId !== undefined) this.onBatchJob?.(job);
    if (!this.events.active) return;
    const event: { type: "job"; job: JobSnapshot; previous?: JobState } = {
      type: "job",
      job: this.snapshotOf(job),
    };
    if (previous !== undefined) event.previous = previous;
    this.events.emit(event);
  }
}

function clearJobTimers(job: JobRecord): void {
  clearTimeout(job.removalTimer);
  clearTimeout(job.execTimer);
}

export type { JobRecord };
