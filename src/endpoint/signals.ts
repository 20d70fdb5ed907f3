import { AbortError } from "../core/api-errors.js";
import { sleep as wait } from "../internal/sleep.js";

/** Timer and signal helpers built on `setTimeout` and `AbortSignal` only (universal). */

/** Resolves after `ms`, or rejects with an `AbortError` as soon as the signal aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, signal);
  if (signal?.aborted) throw new AbortError("Aborted while waiting", { cause: signal.reason });
}

/**
 * A controller that also aborts when `parent` does (`AbortSignal.any` is missing before Node 20.3).
 * Call `dispose` when done so a long-lived parent does not keep listeners.
 */
export function childController(parent?: AbortSignal): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  if (!parent) return { controller, dispose: () => {} };
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener("abort", onAbort) };
}

/** Delays that double from `first` up to `max`, for polls that brought nothing new. */
export class Backoff {
  #next: number;
  constructor(
    private readonly first: number,
    private readonly max: number,
  ) {
    this.#next = first;
  }
  /** The delay to wait now; the following one is twice as long (capped). */
  next(): number {
    const delay = this.#next;
    this.#next = Math.min(this.max, delay * 2);
    return delay;
  }
  reset(): void {
    this.#next = this.first;
  }
}
