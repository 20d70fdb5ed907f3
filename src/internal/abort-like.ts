/**
 * What waiting code needs of an abort signal: an `AbortSignal` has it, and so do lighter objects
 * (the worker's `JobAbort`, the endpoint client's per-request deadline), which cost less than an
 * `AbortController` on paths run thousands of times a second.
 */
export interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}
