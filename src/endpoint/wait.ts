import { APIError } from "../core/api-errors.js";
import {
  JobCancelledError,
  JobFailedError,
  JobTimedOutError,
  WaitTimeoutError,
} from "../core/job-errors.js";
import { isTerminal } from "../protocol/job-states.js";
import { SYNC_WAIT_MAX_MS, SYNC_WAIT_MIN_MS } from "../protocol/limits.js";
import type { JobStatus } from "../protocol/status.js";
import { asStatus } from "./responses.js";
import { Backoff, childController, sleep } from "./signals.js";
import type { Transport } from "./transport.js";

/** The output of a final status, or the job error its state stands for. */
export function outcome<Output>(s: JobStatus<Output>): Output {
  if (s.status === "FAILED") throw new JobFailedError(s.id, s.error, s.output);
  if (s.status === "CANCELLED") throw new JobCancelledError(s.id);
  if (s.status === "TIMED_OUT") throw new JobTimedOutError(s.id);
  return s.output as Output;
}

/** A long poll's `wait`: the configured hold, cut to the time left, within the platform's bounds. */
export function longPollWait(longPollMs: number, remainingMs: number | undefined): number {
  const wanted = remainingMs === undefined ? longPollMs : Math.min(longPollMs, remainingMs);
  return Math.max(SYNC_WAIT_MIN_MS, Math.min(SYNC_WAIT_MAX_MS, Math.ceil(wanted)));
}

export function jobPath(route: string, jobId: string): string {
  return `/${route}/${encodeURIComponent(jobId)}`;
}

export async function getStatus<Output>(
  t: Transport,
  jobId: string,
  signal: AbortSignal | undefined,
): Promise<JobStatus<Output>> {
  const path = jobPath("status", jobId);
  return asStatus(await t.send({ method: "GET", path, idempotent: true, signal }), `GET ${path}`);
}

/**
 * Waits until the job is final: `status-sync?wait` long polls, or `/status` polls with backoff on a
 * server without that route. A short pause between two non-final answers keeps a server that
 * ignores `wait` from turning this into a tight loop.
 */
async function untilFinal<Output>(
  t: Transport,
  jobId: string,
  signal: AbortSignal,
  deadline: number | undefined,
): Promise<JobStatus<Output>> {
  const backoff = new Backoff(t.options.pollIntervalMs, t.options.maxPollIntervalMs);
  for (;;) {
    const status = t.statusSyncMissing
      ? await getStatus<Output>(t, jobId, signal)
      : await statusSync<Output>(t, jobId, signal, deadline);
    if (isTerminal(status.status)) return status;
    await sleep(backoff.next(), signal);
  }
}

async function statusSync<Output>(
  t: Transport,
  jobId: string,
  signal: AbortSignal,
  deadline: number | undefined,
): Promise<JobStatus<Output>> {
  const path = jobPath("status-sync", jobId);
  const waitMs = longPollWait(
    t.options.longPollMs,
    deadline === undefined ? undefined : deadline - Date.now(),
  );
  try {
    const body = await t.send({ method: "GET", path, waitMs, idempotent: true, signal });
    return asStatus(body, `GET ${path}`);
  } catch (error) {
    if (!(error instanceof APIError && (error.status === 404 || error.status === 405))) throw error;
    // 404 is also what an expired job gets: only when /status knows the job is the route missing.
    const status = await getStatus<Output>(t, jobId, signal);
    t.statusSyncMissing = true;
    return status;
  }
}

const DEADLINE = Symbol("wait deadline");

export interface WaitSpec {
  signal?: AbortSignal | undefined;
  /** The whole wait's bound, as the caller gave it (reported in `WaitTimeoutError`). */
  timeoutMs?: number | undefined;
  /** When the bound runs out (epoch ms); `runSync` started counting before the job had an id. */
  deadline?: number | undefined;
  cancelOnTimeout?: boolean | undefined;
}

/**
 * Waits for the job's output within the caller's bound: when it runs out, the in-flight request is
 * aborted and a `WaitTimeoutError` thrown, after cancelling the job if asked to.
 */
export async function waitForOutput<Output>(
  t: Transport,
  jobId: string,
  spec: WaitSpec,
): Promise<Output> {
  const { controller, dispose } = childController(spec.signal);
  const timer =
    spec.deadline === undefined
      ? undefined
      : setTimeout(() => controller.abort(DEADLINE), Math.max(0, spec.deadline - Date.now()));
  try {
    return outcome(await untilFinal<Output>(t, jobId, controller.signal, spec.deadline));
  } catch (error) {
    if (controller.signal.reason !== DEADLINE || spec.signal?.aborted) throw error;
    let cancelled = false;
    if (spec.cancelOnTimeout) {
      // A failed cancel must not hide the timeout; the error then says the job was not cancelled.
      cancelled = await t
        .send({ method: "POST", path: jobPath("cancel", jobId), body: "{}", idempotent: false })
        .then(
          () => true,
          () => false,
        );
    }
    throw new WaitTimeoutError(jobId, spec.timeoutMs ?? 0, cancelled);
  } finally {
    clearTimeout(timer);
    dispose();
  }
}
