import type { AbortLike } from "./job-abort.js";

/** A reusable "something changed" signal: `wait` resolves at the next `notify`, a timeout or an abort. */
export class Wakeup {
  /** A waiter leaves the set however it ends, so timed-out waits do not pile up while nothing changes. */
  private readonly waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }

  /** How many waits are pending. */
  get pending(): number {
    return this.waiters.size;
  }

  wait(timeoutMs?: number, signal?: AbortLike): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      signal?.addEventListener("abort", done, { once: true });
      this.waiters.add(done);
    });
  }
}
