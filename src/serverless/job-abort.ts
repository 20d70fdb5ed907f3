/**
 * A job's abort state, lighter than an `AbortController`. The worker keeps two per job (the
 * handler's, and its result delivery's, which only a platform stop aborts), and most handlers never
 * read `ctx.signal`; at thousands of jobs per second, two controllers and their listeners cost more
 * CPU than the rest of a job's bookkeeping (`npm run bench:worker`). The standard `AbortSignal` is
 * made when something asks for it, and follows this state from then on.
 */
import type { AbortLike as BaseAbortLike } from "../internal/abort-like.js";

/** What the worker's own code needs of a signal, with its reason: `AbortSignal` and `JobAbort` fit. */
export interface AbortLike extends BaseAbortLike {
  readonly reason: unknown;
}

export class JobAbort implements AbortLike {
  aborted = false;
  reason: unknown;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }

  /** Listeners are called once, on abort (the `once` option is implied). */
  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    if (this.listeners) this.listeners.push(listener);
    else this.listeners = [listener];
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners?.splice(i, 1);
  }

  /** A standard `AbortSignal` in the same state (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}
