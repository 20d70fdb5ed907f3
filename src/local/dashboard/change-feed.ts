import type { PlatformListener } from "../events.js";
import type { Recorder } from "./recorder.js";
import { type DashboardChange, toChange } from "./view-model.js";

/** What `next` yields: changes to send, "resync" when the page must reload the state, or "closed". */
export type FeedItem = DashboardChange[] | "resync" | "closed";

/** Past this many unsent changes a slow page gets a fresh state instead of the backlog. */
const MAX_BACKLOG = 5_000;

/**
 * Buffers the platform's events for one event-stream connection. Events arrive synchronously from
 * the platform; the connection sends them when its previous write is done, so a burst becomes one
 * batch and a stalled page can never make the platform wait.
 */
export class ChangeFeed {
  #pending: DashboardChange[] = [];
  #overflowed = false;
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #unsubscribe: () => void;

  constructor(subscribe: (listener: PlatformListener) => () => void, recorder: Recorder) {
    this.#unsubscribe = subscribe((event) => {
      if (this.#overflowed) return;
      this.#pending.push(...toChange(event, recorder));
      if (this.#pending.length > MAX_BACKLOG) {
        this.#overflowed = true;
        this.#pending = [];
      }
      this.#wake?.();
    });
  }

  /** Waits up to `waitMs` for changes; an empty array means nothing happened meanwhile. */
  async next(waitMs: number): Promise<FeedItem> {
    if (!this.#closed && this.#pending.length === 0 && !this.#overflowed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        timer.unref();
        this.#wake = done;
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      this.#wake = undefined;
      // Events of the same burst usually arrive in the same turn: gather them into one batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.#closed) return "closed";
    if (this.#overflowed) {
      this.#overflowed = false;
      return "resync";
    }
    return this.#pending.splice(0);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.#wake?.();
  }
}
