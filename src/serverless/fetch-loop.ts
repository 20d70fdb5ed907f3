/**
 * Job fetching (§A.3): job-take for one job, job-take-batch for more, every response case of the
 * spec's table. Unlike Python it never hot-loops: consecutive failures (5xx, refused connections,
 * garbage) back off by the package's retry policy up to a few seconds and reset on success; an
 * answer's `Retry-After` is the least it waits (a 429 without one: 5 s, as Python).
 *
 * Stopping is two steps, as in Python (§A.9): `stop` ends the loop before its next take, but the
 * take in flight is not abandoned, since the platform may be handing it jobs at that very moment
 * and jobs answered to a closed socket are lost; they are accepted and run like any others. Only
 * `abort` (the shutdown grace ran out) abandons it.
 */
import { parseRetryAfter, RequestTimeoutError } from "../core/api-errors.js";
import { type Backoff, retryDelay } from "../core/retry-policy.js";
import { sleep } from "../internal/sleep.js";
import type { Job } from "../protocol/job.js";
import { jobTakeUrl, parseTakeResponse } from "../protocol/worker-requests.js";
import type { WorkerHttp } from "./http.js";
import type { AbortLike } from "./job-abort.js";
import type { WorkerLog } from "./log.js";

/** Python wraps job-take in a 90 s timeout; the platform answers well before. */
export const FETCH_TIMEOUT_MS = 90_000;
/** An empty answer sooner than this is followed by a pause, so a server that does not long-poll is not hammered. */
const MIN_EMPTY_CYCLE_MS = 100;
/** How long a stopping worker waits for its job-take in flight before it says so. */
const WAIT_NOTE_MS = 500;

export interface FetchLoopDeps {
  http: WorkerHttp;
  takeUrl: string;
  log: WorkerLog;
  /** How many jobs to ask for now; waits while there is no capacity. `undefined` ends the loop. */
  capacity(signal: AbortLike): Promise<number | undefined>;
  /** Whether any job is in progress (fetched and not finished), for `job_in_progress`. */
  busy(): boolean;
  /** Called with each batch of fetched jobs. */
  accept(jobs: Job[]): void;
  /** Called once the first job-take is on its way (or has come back, if it failed before that). */
  firstTakeSent?: () => void;
  /** No new take: the loop ends once the one in flight, if any, came back. */
  stop: AbortLike;
  /** Abandons the take in flight too. A `JobAbort` in the worker: a listener is added and removed on it for every take. */
  abort: AbortLike;
}

type Attempt =
  | { ok: true; jobs: Job[] }
  | { ok: false; message: string; retryAfterMs?: number | undefined };

/** Python waits 5 s after a 429; we honour `Retry-After` when the platform sends one. */
export const RATE_LIMIT_DELAY_MS = 5_000;
const BACKOFF: Backoff = { baseMs: 200, capMs: 5_000 };

async function takeOnce(deps: FetchLoopDeps, count: number): Promise<Attempt> {
  const url = jobTakeUrl(deps.takeUrl, count, deps.busy());
  let res: Awaited<ReturnType<WorkerHttp["get"]>>;
  try {
    res = await deps.http.get(url, "job-take", {
      signal: deps.abort,
      timeoutMs: FETCH_TIMEOUT_MS,
      onSent: deps.firstTakeSent,
    });
  } catch (error) {
    if (deps.abort.aborted) return { ok: true, jobs: [] };
    if (error instanceof RequestTimeoutError) {
      deps.log.debug("job-take timed out; asking again.");
      return { ok: true, jobs: [] };
    }
    return {
      ok: false,
      message: `Error Type: ${(error as Error).name} | Error Message: ${(error as Error).message}`,
    };
  }
  // 204: nothing queued; 400: expected with FlashBoot.
  if (res.status === 204 || res.status === 400) return { ok: true, jobs: [] };
  if (res.status === 429) {
    return {
      ok: false,
      message: "Error Type: HTTP 429 | Error Message: too many requests",
      retryAfterMs: parseRetryAfter(res.retryAfter) ?? RATE_LIMIT_DELAY_MS,
    };
  }
  if (res.status < 200 || res.status >= 300) {
    return {
      ok: false,
      message: `Error Type: HTTP ${res.status} | Error Message: ${res.text.slice(0, 200)}`,
      retryAfterMs: parseRetryAfter(res.retryAfter),
    };
  }
  const parsed = parseTakeResponse(res.contentType, res.text);
  if (parsed.kind === "invalid")
    return { ok: false, message: `Error Type: InvalidJob | Error Message: ${parsed.reason}` };
  if (parsed.kind === "none") return { ok: true, jobs: [] };
  if (parsed.dropped > 0)
    deps.log.warn(`Ignored ${parsed.dropped} batch element(s) without id/input.`);
  return { ok: true, jobs: parsed.jobs };
}

/** Runs until `capacity` returns `undefined` or `stop` aborts; jobs of the last take are accepted. */
export async function runFetchLoop(deps: FetchLoopDeps): Promise<void> {
  // Stopped, the loop ends at once unless a take is in flight; then the shutdown waits for a long
  // poll: say why, once, if the wait is felt (a platform that stops its own worker answers at
  // once, as dev does on every restart). One listener for the loop, not one per take.
  let noteTimer: ReturnType<typeof setTimeout> | undefined;
  const note = () => {
    noteTimer = setTimeout(
      () =>
        deps.log.info("Waiting for the job-take in flight: the platform may still hand it jobs."),
      WAIT_NOTE_MS,
    );
  };
  deps.stop.addEventListener("abort", note, { once: true });
  try {
    await takeUntilStopped(deps);
  } finally {
    deps.stop.removeEventListener("abort", note);
    clearTimeout(noteTimer);
  }
}

async function takeUntilStopped(deps: FetchLoopDeps): Promise<void> {
  let failures = 0;
  while (!deps.stop.aborted) {
    const count = await deps.capacity(deps.stop);
    if (count === undefined || deps.stop.aborted) return;
    const started = performance.now();
    const attempt = await takeOnce(deps, count);
    deps.firstTakeSent?.();
    if (attempt.ok && attempt.jobs.length > 0) {
      failures = 0;
      deps.accept(attempt.jobs);
      continue;
    }
    if (deps.stop.aborted) return;
    if (!attempt.ok) {
      const delay = retryDelay(failures++, BACKOFF, attempt.retryAfterMs);
      deps.log.error(`Failed to get job. | ${attempt.message} | retrying in ${delay} ms`);
      await sleep(delay, deps.stop);
      continue;
    }
    failures = 0;
    const elapsed = performance.now() - started;
    if (elapsed < MIN_EMPTY_CYCLE_MS) await sleep(MIN_EMPTY_CYCLE_MS - elapsed, deps.stop);
  }
}
