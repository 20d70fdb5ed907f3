import type { Hangup } from "./hangup.js";

/**
 * Long-poll waiters keyed by what they wait for (a job id, a worker id). A waiter is released by
 * `notify`, by its own deadline, by its request's abort signal, or by `closeAll`, whichever comes
 * first, so a held request answers as soon as its event happens and never outlives the server.
 */
interface Waiter<V> {
  settle(value: V | undefined): void;
}

export class KeyedWaiters<K, V> {
  readonly #byKey = new Map<K, Set<Waiter<V>>>();
  #closed = false;

  /** Resolves with the notified value, or `undefined` on deadline, abort or close. */
  wait(key: K, timeoutMs: number, signal?: Hangup): Promise<V | undefined> {
    if (this.#closed || signal?.aborted || timeoutMs <= 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let set = this.#byKey.get(key);
      if (!set) {
        set = new Set();
        this.#byKey.set(key, set);
      }
      const waiters = set;
      const onAbort = () => waiter.settle(undefined);
      const waiter: Waiter<V> = {
        settle: (value) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          waiters.delete(waiter);
          if (waiters.size === 0 && this.#byKey.get(key) === waiters) this.#byKey.delete(key);
          resolve(value);
        },
      };
      // unref: a pending long poll must never keep the process alive on its own.
      const timer = setTimeout(() => waiter.settle(undefined), timeoutMs);
      timer.unref();
      signal?.addEventListener("abort", onAbort, { once: true });
      waiters.add(waiter);
    });
  }

  /** Releases every waiter of `key` with `value`; returns how many there were. */
  notify(key: K, value: V): number {
    const set = this.#byKey.get(key);
    if (!set) return 0;
    const waiters = [...set];
    for (const w of waiters) w.settle(value);
    return waiters.length;
  }

  /** How many waiters are pending, over all keys. */
  get size(): number {
    let n = 0;
    for (const set of this.#byKey.values()) n += set.size;
    return n;
  }

  /** Releases everything with `undefined` and refuses new waits. */
  closeAll(): void {
    this.#closed = true;
    for (const set of [...this.#byKey.values()]) for (const w of [...set]) w.settle(undefined);
  }
}
