/**
 * The load-balancing platform's own refusals (spec load-balancing.md §3, §5.3), as opposed to
 * whatever a worker answers. They extend the HTTP error classes of their documented status, so
 * `instanceof NotFoundError` still holds for a gone pinned worker.
 */
import { APIError, type APIErrorInit, BadRequestError, NotFoundError } from "./api-errors.js";

/**
 * No worker became available within the platform's request timeout (2 min). The platform never
 * ran the request, so it is safe to send again; the client does so on its retry policy.
 */
export class NoWorkersAvailableError extends APIError {
  static override readonly kind: string = "NoWorkersAvailableError";
}

/** The init of an affinity error: which worker the request was pinned to. */
export interface AffinityErrorInit extends APIErrorInit {
  workerId: string | undefined;
}

/**
 * `strict` / `strict-resume` affinity: the pinned worker is no longer in the endpoint's active
 * set (scaled down, terminated, redeployed under a new id). Start a new session without the pin.
 */
export class AffinityWorkerGoneError extends NotFoundError {
  static override readonly kind: string = "AffinityWorkerGoneError";
  /** The worker id the request was pinned to. */
  readonly workerId: string | undefined;
  constructor(message: string, init: AffinityErrorInit) {
    super(message, init);
    this.workerId = init.workerId;
  }
}

/**
 * `strict` / `strict-resume` affinity: the pinned worker stayed busy (or its resume did not
 * finish) for the platform's ~5 min wait. The request did not run.
 */
export class WorkerTimeoutError extends BadRequestError {
  static override readonly kind: string = "WorkerTimeoutError";
  /** The worker id the request was pinned to. */
  readonly workerId: string | undefined;
  constructor(message: string, init: AffinityErrorInit) {
    super(message, init);
    this.workerId = init.workerId;
  }
}
