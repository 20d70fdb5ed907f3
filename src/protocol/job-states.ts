/** Job states of the public endpoint API (§B.3.2). `RUNNING` is documented but never emitted. */
export const JOB_STATES = [
  "IN_QUEUE",
  "IN_PROGRESS",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMED_OUT",
] as const;

export type JobState = (typeof JOB_STATES)[number];

/** States after which nothing more happens to a job (CANCELLED included, unlike Python's set). */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMED_OUT",
]);

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state as JobState);
}

/**
 * The legal transitions, in one table used by the local platform's state machine.
 * `retry` moves FAILED/TIMED_OUT back to IN_QUEUE; TTL expiry deletes a job in any state (not a
 * transition: the job disappears).
 */
export const TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  IN_QUEUE: ["IN_PROGRESS", "CANCELLED", "TIMED_OUT"],
  IN_PROGRESS: ["IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"],
  COMPLETED: [],
  FAILED: ["IN_QUEUE"],
  CANCELLED: [],
  TIMED_OUT: ["IN_QUEUE"],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}
