import type { BatchCreated, BatchRequestResult, BatchSummary } from "../protocol/batch.js";
import type { BatchClient } from "./batch-client.js";
import type { SignalOptions } from "./options.js";
import type { Transport } from "./transport.js";

/** Options of `batches.results()`. */
export interface BatchResultsOptions extends SignalOptions {
  /** Requests per page (`limit`), 1 to 1 000. @default 50 */
  pageSize?: number;
}

/** Options of `batches.submit()` and `batches.wait()`. */
export interface BatchWaitOptions extends SignalOptions {
  /** Called with the batch's summary when it is finalized and whenever its status or counts change. */
  onProgress?: (summary: BatchSummary) => void;
}

/**
 * Batch Jobs of an endpoint (`/batch`, beta): many inputs run as one unit. `create` and `append`
 * build a DRAFT, `finalize` makes it run, `get` reports counts, `results` pages through every
 * request's outcome; `submit` does it all and waits. The implementation (`batch-client.ts`) is
 * loaded by a dynamic import on first use, so an app that never runs a batch does not download it
 * (the browser bundle has an 8 KB budget).
 */
export class Batches<Input = unknown, Output = unknown> {
  readonly #t: Transport;
  #client: Promise<BatchClient<Input, Output>> | undefined;

  /** @internal use `endpoint.batches` */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  #load(): Promise<BatchClient<Input, Output>> {
    this.#client ??= import("./batch-client.js").then((m) => new m.BatchClient(this.#t));
    return this.#client;
  }

  /**
   * Creates a DRAFT batch of `inputs` (each sent as `{"input": …}`). More than one 10 MiB body's
   * worth goes as a create and then appends; if an append fails, the error names the batch, still
   * a DRAFT, so the rest can be appended or the batch cancelled.
   */
  async create(inputs: readonly Input[], options?: SignalOptions): Promise<BatchCreated> {
    return (await this.#load()).create(inputs, options);
  }

  /** Adds inputs to a DRAFT batch, in as many calls as 10 MiB bodies need; answers the summary. */
  async append(
    id: string,
    inputs: readonly Input[],
    options?: SignalOptions,
  ): Promise<BatchSummary> {
    return (await this.#load()).append(id, inputs, options);
  }

  /** Locks a DRAFT batch and lets it run. */
  async finalize(id: string, options?: SignalOptions): Promise<BatchSummary> {
    return (await this.#load()).finalize(id, options);
  }

  /** The batch's status and request counts. */
  async get(id: string, options?: SignalOptions): Promise<BatchSummary> {
    return (await this.#load()).get(id, options);
  }

  /** Queued requests are cancelled now; running ones finish, then the batch is CANCELLED. */
  async cancel(id: string, options?: SignalOptions): Promise<BatchSummary> {
    return (await this.#load()).cancel(id, options);
  }

  /** The endpoint's batches, newest first. */
  async list(options?: SignalOptions): Promise<BatchSummary[]> {
    return (await this.#load()).list(options);
  }

  /** Every request of the batch with its outcome, fetched a page at a time as the loop asks. */
  async *results(
    id: string,
    options?: BatchResultsOptions,
  ): AsyncGenerator<BatchRequestResult<Output>, void, undefined> {
    yield* (await this.#load()).results(id, options);
  }

  /**
   * Creates a batch of `inputs`, finalizes it and waits until every request finished (or the batch
   * ended), calling `onProgress` as counts change; resolves the last summary. Read the outcomes
   * with `results(summary.id)`.
   */
  async submit(inputs: readonly Input[], options?: BatchWaitOptions): Promise<BatchSummary> {
    return (await this.#load()).submit(inputs, options);
  }

  /**
   * Waits until every request of a finalized batch finished, or the batch ended, calling
   * `onProgress` with the summary now and whenever its status or counts change.
   */
  async wait(id: string, options?: BatchWaitOptions): Promise<BatchSummary> {
    return (await this.#load()).wait(id, options);
  }
}
