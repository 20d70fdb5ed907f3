/**
 * The one narrow interface between a worker and a platform in the same process (`--rp_serve_api`):
 * a worker request as data, answered as data. It carries exactly what the worker's HTTP requests
 * carry (method, URL, key, body bytes) and what the worker reads of an answer, so the worker's
 * protocol code (job-take, job-done, job-stream, job-stop) runs unchanged on either path, and the
 * platform answers with the same operations its HTTP routes use. No `Request`, `Response`,
 * `AbortSignal` or stream is made per call. Types only: neither side imports the other.
 */

/** What a held call listens to so it stops waiting: an `AbortSignal` fits, and lighter objects do. */
export interface CallSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** One worker request: a job-take, job-take-batch, job-done, job-stream, job-stop or ping URL. */
export interface WorkerCall {
  method: "GET" | "POST";
  /** The full URL the worker would request, built from its `RUNPOD_WEBHOOK_*` templates. */
  url: string;
  /** The `Authorization` header value (the raw key, §A.2). */
  authorization: string | undefined;
  body?: Uint8Array | undefined;
  /** Aborting it releases a held long poll, as a hang-up does over HTTP. */
  signal?: CallSignal | undefined;
}

/** What the worker reads of an answer. */
export interface WorkerAnswer {
  status: number;
  contentType?: string | undefined;
  retryAfter?: string | undefined;
  text: string;
}

/** A platform in this process, answering worker calls. */
export type WorkerLink = (call: WorkerCall) => Promise<WorkerAnswer>;
