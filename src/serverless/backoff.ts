/**
 * Delay after `failures` consecutive failures: exponential from `baseMs`, capped at `maxMs`, with
 * jitter in [50 %, 100 %] so a fleet of workers does not retry in lockstep.
 */
export function backoffDelay(
  failures: number,
  baseMs = 200,
  maxMs = 5_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
