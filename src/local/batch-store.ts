import {
  type BatchRequestResult,
  type BatchRequestState,
  type BatchRequestsPage,
  type BatchState,
  type BatchSummary,
  canBatchTransition,
  isBatchTerminal,
} from "../protocol/batch.js";
import type { RunRequest } from "../protocol/run-request.js";
import { HttpError } from "./http-errors.js";
import type { JobRecord, JobStore, RemovalReason } from "./job-store.js";
import { prefixedUlid } from "./ulid.js";

export interface BatchSettings {
  endpointId: string;
  /** Batches not over yet (DRAFT, or FINALIZED with requests left), per endpoint. */
  maxActiveBatches: number;
  maxBatchRequests: number;
  /** Batch requests queued at once; finalizing past it is refused. */
  maxQueuedBatchRequests: number;
  /** How long a batch that is over stays readable. */
  batchRetentionMs: number;
}

type Bucket = "queued" | "inProgress" | "completed" | "failed";

interface BatchRequest {
  id: string;
  /** The submission, held only while the batch is a DRAFT; from finalize on, the job holds it. */
  request?: RunRequest;
  status: BatchRequestState;
  hasOutput: boolean;
  output?: unknown;
  error?: string;
  startedAt?: string;
  completedAt?: string;
}

interface BatchRecord {
  id: string;
  name?: string;
  status: BatchState;
  createdAt: number;
  /** In submission order: the order of the results pages. */
  requests: Map<string, BatchRequest>;
  counts: Record<Bucket, number>;
  /** Cancel asked while requests ran: CANCELLED once they drained (batch-jobs.md §2.8). */
  cancelling: boolean;
  retentionTimer?: NodeJS.Timeout;
}

function bucketOf(state: BatchRequestState): Bucket {
  if (state === "IN_PROGRESS") return "inProgress";
  if (state === "COMPLETED") return "completed";
  if (state === "DRAFT" || state === "IN_QUEUE") return "queued";
  return "failed";
}

/**
 * The batches of the endpoint and their state machine (every change goes through `#move`, which
 * consults the one table of src/protocol/batch.ts). A DRAFT batch only holds its requests; finalize
 * hands them to the job store as jobs that carry the batch id, and from then on the job store tells
 * this store of every change to them, which keeps the counts and a copy of each result, so results
 * outlive the jobs' retention. Memory stays bounded: the limits cap what is held at once, the
 * input of a request is held once (here while DRAFT, by its job after), and a batch that is over is
 * deleted after `batchRetentionMs`.
 */
export class BatchStore {
  readonly #batches = new Map<string, BatchRecord>();

  constructor(
    private readonly settings: BatchSettings,
    private readonly jobs: JobStore,
  ) {
    jobs.onBatchJob = (job, removed) => this.#jobChanged(job, removed);
  }

  create(requests: readonly RunRequest[]): BatchRecord {
    const active = [...this.#batches.values()].filter((b) => !this.#over(b)).length;
    if (active >= this.settings.maxActiveBatches) {
      throw new HttpError(
        409,
        `endpoint ${this.settings.endpointId} already has ${active} active batches (limit ${this.settings.maxActiveBatches}); finalize and finish, or cancel, one first`,
      );
    }
    this.#checkSize(requests.length, 0);
    const batch: BatchRecord = {
      id: prefixedUlid("batch_"),
      status: "DRAFT",
      createdAt: Date.now(),
      requests: new Map(),
      counts: { queued: 0, inProgress: 0, completed: 0, failed: 0 },
      cancelling: false,
    };
    this.#add(batch, requests);
    this.#batches.set(batch.id, batch);
    return batch;
  }

  append(id: string, requests: readonly RunRequest[]): BatchSummary {
    const batch = this.#draft(id, "appended to");
    this.#checkSize(requests.length, batch.requests.size);
    this.#add(batch, requests);
    return this.summary(batch);
  }

  removeRequest(id: string, requestId: string): BatchSummary {
    const batch = this.#draft(id, "removed from");
    const request = batch.requests.get(requestId);
    if (!request) throw new HttpError(404, `request ${requestId} not found in batch ${id}`);
    batch.requests.delete(requestId);
    batch.counts.queued--;
    return this.summary(batch);
  }

  rename(id: string, name: string): BatchSummary {
    const batch = this.#get(id);
    batch.name = name;
    return this.summary(batch);
  }

  finalize(id: string): BatchSummary {
    const batch = this.#get(id);
    if (batch.status !== "DRAFT") {
      throw new HttpError(
        409,
        `batch ${id} is ${batch.status}; only a DRAFT batch can be finalized`,
      );
    }
    const queued = this.jobs.queuedBatchJobs;
    if (queued + batch.requests.size > this.settings.maxQueuedBatchRequests) {
      throw new HttpError(
        409,
        `finalizing batch ${id} would queue ${batch.requests.size} requests beside the ${queued} queued already, over the endpoint's limit of ${this.settings.maxQueuedBatchRequests}`,
      );
    }
    this.#move(batch, "FINALIZED");
    const submissions: Array<{ id: string; request: RunRequest }> = [];
    for (const r of batch.requests.values()) {
      submissions.push({ id: r.id, request: r.request as RunRequest });
      delete r.request;
      r.status = "IN_QUEUE";
    }
    this.jobs.submitBatch(batch.id, submissions);
    this.#settle(batch);
    return this.summary(batch);
  }

  /**
   * Queued requests are cancelled at once (never reaching a worker); running ones finish, and the
   * batch becomes CANCELLED when they have (batch-jobs.md §2.8). Cancelling twice is harmless.
   */
  cancel(id: string): BatchSummary {
    const batch = this.#get(id);
    if (isBatchTerminal(batch.status)) {
      throw new HttpError(409, `batch ${id} is already ${batch.status}`);
    }
    if (batch.status === "DRAFT") {
      for (const r of batch.requests.values()) {
        delete r.request;
        this.#setState(batch, r, "CANCELLED");
      }
      this.#move(batch, "CANCELLED");
    } else {
      batch.cancelling = true;
      for (const r of batch.requests.values()) {
        // The job store calls back into #jobChanged, which counts it.
        if (r.status === "IN_QUEUE") this.jobs.cancel(r.id);
      }
    }
    this.#settle(batch);
    return this.summary(batch);
  }

  get(id: string): BatchSummary {
    return this.summary(this.#get(id));
  }

  /** Every batch of the endpoint, newest first. */
  list(): BatchSummary[] {
    return [...this.#batches.values()].reverse().map((b) => this.summary(b));
  }

  /** A window of the batch's requests, in submission order (batch-jobs.md §2.9). */
  page(id: string, offset: number, limit: number): BatchRequestsPage {
    const batch = this.#get(id);
    const requests: BatchRequestResult[] = [];
    let index = 0;
    for (const r of batch.requests.values()) {
      if (index++ < offset) continue;
      if (requests.length >= limit) break;
      requests.push(resultOf(r));
    }
    const total = batch.requests.size;
    return { requests, total, offset, limit, hasMore: offset + requests.length < total };
  }

  summary(batch: BatchRecord): BatchSummary {
    const s: BatchSummary = {
      id: batch.id,
      endpointId: this.settings.endpointId,
      status: batch.status,
      requestTotal: batch.requests.size,
      requestInProgress: batch.counts.inProgress,
      requestCompleted: batch.counts.completed,
      requestFailed: batch.counts.failed,
      createdAt: batch.createdAt,
    };
    if (batch.name !== undefined) s.name = batch.name;
    return s;
  }

  close(): void {
    for (const b of this.#batches.values()) clearTimeout(b.retentionTimer);
  }

  // ---- internals --------------------------------------------------------------------------

  #get(id: string): BatchRecord {
    const batch = this.#batches.get(id);
    if (!batch) throw new HttpError(404, `batch ${id} not found`);
    return batch;
  }

  #draft(id: string, verb: string): BatchRecord {
    const batch = this.#get(id);
    if (batch.status !== "DRAFT") {
      throw new HttpError(
        409,
        `batch ${id} is ${batch.status}; requests can be ${verb} a batch only while it is DRAFT`,
      );
    }
    return batch;
  }

  #checkSize(adding: number, has: number): void {
    const max = this.settings.maxBatchRequests;
    if (has + adding > max) {
      throw new HttpError(
        400,
        `a batch holds at most ${max} requests; this one has ${has} and the call adds ${adding}`,
      );
    }
  }

  #add(batch: BatchRecord, requests: readonly RunRequest[]): void {
    for (const request of requests) {
      const id = prefixedUlid("req_");
      batch.requests.set(id, { id, request, status: "DRAFT", hasOutput: false });
    }
    batch.counts.queued += requests.length;
  }

  /** Over: nothing more will happen to it (ended, or finalized with every request finished). */
  #over(batch: BatchRecord): boolean {
    if (isBatchTerminal(batch.status)) return true;
    return batch.status === "FINALIZED" && batch.counts.queued + batch.counts.inProgress === 0;
  }

  #jobChanged(job: JobRecord, removed?: RemovalReason): void {
    const batch = this.#batches.get(job.batchId as string);
    const r = batch?.requests.get(job.id);
    if (!batch || !r) return;
    if (removed !== undefined) {
      // Retention only deletes final jobs, whose result is kept here; TTL and purge end it.
      if (bucketOf(r.status) === "queued" || r.status === "IN_PROGRESS") {
        r.error =
          removed === "ttl"
            ? `request ${r.id} expired: its ttl ran out before it finished`
            : `request ${r.id} was removed from the queue (purge-queue)`;
        this.#setState(batch, r, removed === "ttl" ? "TIMED_OUT" : "CANCELLED");
      }
    } else if (job.status !== r.status) {
      if (job.status === "IN_QUEUE") {
        // A retried request starts over.
        r.hasOutput = false;
        delete r.output;
        delete r.error;
        delete r.startedAt;
        delete r.completedAt;
      } else if (job.status !== "IN_PROGRESS") {
        if (job.hasOutput) {
          r.hasOutput = true;
          r.output = job.output;
        }
        if (job.error !== undefined) r.error = job.error;
      }
      this.#setState(batch, r, job.status);
    }
    this.#settle(batch);
  }

  #setState(batch: BatchRecord, r: BatchRequest, state: BatchRequestState): void {
    batch.counts[bucketOf(r.status)]--;
    batch.counts[bucketOf(state)]++;
    r.status = state;
    const now = new Date().toISOString();
    if (state === "IN_PROGRESS") r.startedAt = now;
    else if (bucketOf(state) !== "queued") r.completedAt = now;
  }

  /** After any change: a cancel whose running requests drained ends; a batch that is over expires. */
  #settle(batch: BatchRecord): void {
    if (batch.cancelling && batch.status === "FINALIZED" && batch.counts.inProgress === 0) {
      this.#move(batch, "CANCELLED");
    }
    const over = this.#over(batch);
    if (over && batch.retentionTimer === undefined) {
      batch.retentionTimer = setTimeout(
        () => this.#batches.delete(batch.id),
        this.settings.batchRetentionMs,
      );
      batch.retentionTimer.unref();
    } else if (!over && batch.retentionTimer !== undefined) {
      // A retried request reopened it.
      clearTimeout(batch.retentionTimer);
      delete batch.retentionTimer;
    }
  }

  /** The one place a batch's state changes; an illegal move is a bug here, never a client's. */
  #move(batch: BatchRecord, to: BatchState): void {
    if (!canBatchTransition(batch.status, to)) {
      throw new Error(
        `local platform bug: batch ${batch.id} cannot go from ${batch.status} to ${to}`,
      );
    }
    batch.status = to;
  }
}

function resultOf(r: BatchRequest): BatchRequestResult {
  const out: BatchRequestResult = { id: r.id, status: r.status };
  if (r.hasOutput) out.output = r.output;
  if (r.error !== undefined) out.error = r.error;
  if (r.startedAt !== undefined) out.startedAt = r.startedAt;
  if (r.completedAt !== undefined) out.completedAt = r.completedAt;
  return out;
}
