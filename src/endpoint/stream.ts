import { RunpodError } from "../core/errors.js";
import { JobFailedError, JobTimedOutError } from "../core/job-errors.js";
import { isTerminal } from "../protocol/job-states.js";
import { asStream } from "./responses.js";
import { Backoff, childController, sleep } from "./signals.js";
import type { Transport } from "./transport.js";
import { getStatus, jobPath } from "./wait.js";

/**
 * The outputs a streaming job yields, read from `/stream` as they arrive. The platform drains its
 * buffer on each read, so the stream can be iterated once. It owns an `AbortController`: aborting
 * it (or the signal it was given) stops the stream and its request in flight with an `AbortError`.
 */
export class JobStream<Chunk> implements AsyncIterable<Chunk> {
  readonly controller: AbortController;
  readonly #dispose: () => void;
  #iterated = false;

  /** @internal made by `job.stream()` */
  constructor(
    private readonly transport: Transport,
    readonly jobId: string,
    signal?: AbortSignal,
  ) {
    const { controller, dispose } = childController(signal);
    this.controller = controller;
    this.#dispose = dispose;
  }

  /** Stops the stream; a pending `next()` rejects with an `AbortError`. */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Chunk, void, undefined> {
    if (this.#iterated) {
      throw new RunpodError(`The stream of job ${this.jobId} was already iterated`);
    }
    this.#iterated = true;
    const t = this.transport;
    const signal = this.controller.signal;
    const path = jobPath("stream", this.jobId);
    const backoff = new Backoff(t.options.pollIntervalMs, t.options.maxPollIntervalMs);
    try {
      for (;;) {
        const body = await t.send({ method: "GET", path, idempotent: true, signal });
        const read = asStream<Chunk>(body, `GET ${path}`);
        for (const chunk of read.stream) yield chunk.output;
        if (read.stream.length > 0) {
          // Chunks can still be buffered when the final state arrives: read until a read is empty.
          backoff.reset();
          continue;
        }
        if (isTerminal(read.status)) return await this.#end(read.status);
        await sleep(backoff.next(), signal);
      }
    } finally {
      this.#dispose();
    }
  }

  /** COMPLETED and CANCELLED end the stream; FAILED and TIMED_OUT throw. */
  async #end(state: string): Promise<void> {
    if (state === "FAILED") {
      // `/stream` does not carry the error; `/status` does.
      const status = await getStatus(this.transport, this.jobId, this.controller.signal);
      throw new JobFailedError(this.jobId, status.error, status.output);
    }
    if (state === "TIMED_OUT") throw new JobTimedOutError(this.jobId);
  }
}
