import type { AbortLike } from "./abort-like.js";

/**
 * Resolves after `ms`, or at once when `signal` aborts (callers check `signal.aborted` to tell the
 * two apart). Never rejects. With `unref`, the timer does not keep a Node process alive.
 * Universal: `setTimeout` and `AbortSignal` only.
 */
export function sleep(
  ms: number,
  signal?: AbortLike,
  options?: { unref?: boolean },
): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (options?.unref) (timer as { unref?: () => void }).unref?.();
    signal?.addEventListener("abort", done, { once: true });
  });
}
