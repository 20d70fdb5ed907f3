/**
 * Batch Jobs (`shared/spec/batch-jobs.md`): the shapes of `/v2/{id}/batch`, the batch states and
 * their legal transitions (one table, used by the local platform's batch store), and the limits.
 * Pure and free of zod, so the universal endpoint client can use it too.
 */
import type { JobState } from "./job-states.js";

/** Batch states (§3). There is no RUNNING or COMPLETED: a processed batch stays FINALIZED. */
export const BATCH_STATES = ["DRAFT", "FINALIZED", "FAILED", "CANCELLED"] as const;

export type BatchState = (typeof BATCH_STATES)[number];

/**
 * The legal transitions (§3). DRAFT is editable and never runs; finalize makes it FINALIZED and
 * runnable; cancel ends either one (a FINALIZED batch only once its running requests drained).
 * FAILED is a batch-level (systemic) failure, never caused by a failed request.
 */
export const BATCH_TRANSITIONS: Readonly<Record<BatchState, readonly BatchState[]>> = {
  DRAFT: ["FINALIZED", "CANCELLED"],
  FINALIZED: ["FAILED", "CANCELLED"],
  FAILED: [],
  CANCELLED: [],
};

export function canBatchTransition(from: BatchState, to: BatchState): boolean {
  return BATCH_TRANSITIONS[from].includes(to);
}

/** FAILED and CANCELLED only; a fully processed batch is recognised by its counts (`batchDone`). */
export function isBatchTerminal(state: string): boolean {
  return state === "FAILED" || state === "CANCELLED";
}

/** Limits of the beta (§4); enterprise accounts can have others, so clients do not enforce them. */
export const BATCH_LIMITS = {
  /** Batches per endpoint that are not over (DRAFT, or FINALIZED with work left). */
  activeBatches: 10,
  requestsPerBatch: 5_000,
  /** Batch requests queued on one endpoint at once. */
  queuedRequests: 50_000,
} as const;

/** Bytes of one create or append body (§2.2): 10 MiB. */
export const BATCH_BODY_LIMIT = 10 * 1024 * 1024;

/** `limit` of the child-request listing when none is given (§2.9), and the most one page holds. */
export const BATCH_PAGE_DEFAULT = 50;
export const BATCH_PAGE_MAX = 1_000;

/** One request of a batch: a `/run` body (§2.1). */
export interface BatchItem<Input = unknown> {
  input: Input;
}

/** The answer to create (§2.1). */
export interface BatchCreated {
  id: string;
  status: BatchState;
}

/** A batch and its request counts (§2.7). Queued = total − in progress − completed − failed. */
export interface BatchSummary {
  id: string;
  endpointId: string;
  status: BatchState;
  requestTotal: number;
  requestInProgress: number;
  requestCompleted: number;
  /** Requests that ended without output: FAILED, TIMED_OUT or CANCELLED. */
  requestFailed: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Set with `PUT /batch/{id}` (unverified field). */
  name?: string;
}

/** A child request's state: a job state, or DRAFT while its batch is (local platform's choice). */
export type BatchRequestState = JobState | "DRAFT";

/** One child request with its result (§2.9). Timestamps are ISO-8601. */
export interface BatchRequestResult<Output = unknown> {
  id: string;
  status: BatchRequestState;
  output?: Output;
  error?: string;
  startedAt?: string;
  completedAt?: string;
}

/** One page of `GET /batch/{id}/requests?offset=&limit=` (§2.9). */
export interface BatchRequestsPage<Output = unknown> {
  requests: Array<BatchRequestResult<Output>>;
  total: number;
  offset: number;
  limit: number;
  hasMore: boolean;
}

/** Nothing more will happen: the batch ended, or it is FINALIZED and every request finished (§2.7). */
export function batchDone(s: BatchSummary): boolean {
  if (isBatchTerminal(s.status)) return true;
  return s.status === "FINALIZED" && s.requestCompleted + s.requestFailed >= s.requestTotal;
}
