/**
 * Ordered progress updates (§A.6, improved): each update is posted only after the previous one
 * finished, and none after the final result, which waits for the queue to drain. `send` never
 * rejects, so a handler that does not await it cannot crash the worker.
 */
import type { Logger } from "../core/logger.js";
import { progressBody } from "../protocol/job-done.js";
import { pythonJsonDumps } from "../protocol/python-json.js";
import type { JobAbort } from "./job-abort.js";

interface ProgressSink {
  sendProgress(jobId: string, json: string, abort: JobAbort): Promise<unknown>;
}

export class ProgressChannel {
  /** The last accepted update's delivery; none until one is sent. */
  private chain: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly jobId: string,
    private readonly signal: JobAbort,
    private readonly sink: ProgressSink,
    private readonly log: Logger,
  ) {}

  send(value: unknown): Promise<void> {
    if (this.closed || this.signal.aborted) {
      this.log.debug("Progress update after the job finished was not sent.");
      return Promise.resolve();
    }
    let json: string;
    try {
      // Encoded now, so later mutation of `value` by the handler does not change what is sent.
      json = pythonJsonDumps(progressBody(value), { ensureAscii: false, rootName: "" });
    } catch (error) {
      this.log.error(`Progress update not sent: ${(error as Error).message}`);
      return Promise.resolve();
    }
    const post = async () => {
      if (this.signal.aborted) return;
      await this.sink.sendProgress(this.jobId, json, this.signal).catch(() => {});
    };
    this.chain = (this.chain ?? Promise.resolve()).then(post);
    return this.chain;
  }

  /** No more updates are accepted. */
  close(): void {
    this.closed = true;
  }

  /** Resolves when every accepted update was delivered (or given up); `undefined` if none was sent. */
  drained(): Promise<void> | undefined {
    return this.chain;
  }
}
