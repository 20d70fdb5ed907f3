/**
 * The per-job stop channel (§A.8): a long poll on job-stop whose answer lists jobs the platform
 * cancelled, expired or timed out. Each id is handed to `stop`; unknown ids are the caller's to
 * ignore. Empty answers that come back quickly are spaced 1 s apart, as in Python, so a server
 * that does not hold the request is not hammered; failures back off by the package's retry policy,
 * an answer's `Retry-After` being the least it waits (a 429 without one: 5 s, as job-take).
 */
import { parseRetryAfter, RequestTimeoutError } from "../core/api-errors.js";
import { type Backoff, retryDelay } from "../core/retry-policy.js";
import { sleep } from "../internal/sleep.js";
import { parseStopResponse } from "../protocol/worker-requests.js";
import { FETCH_TIMEOUT_MS, RATE_LIMIT_DELAY_MS } from "./fetch-loop.js";
import type { WorkerHttp } from "./http.js";
import type { WorkerLog } from "./log.js";

const EMPTY_CYCLE_MS = 1_000;
const BACKOFF: Backoff = { baseMs: 1_000, capMs: 5_000 };

export interface StopChannelDeps {
  http: WorkerHttp;
  stopUrl: string;
  log: WorkerLog;
  stop(jobId: string): void;
  signal: AbortSignal;
}

export async function runStopChannel(deps: StopChannelDeps): Promise<void> {
  let failures = 0;
  while (!deps.signal.aborted) {
    const started = performance.now();
    let ids: string[] = [];
    try {
      const res = await deps.http.get(deps.stopUrl, "job-stop", {
        signal: deps.signal,
        timeoutMs: FETCH_TIMEOUT_MS,
      });
      if (res.status === 429 || res.status >= 300) {
        const retryAfterMs =
          parseRetryAfter(res.retryAfter) ?? (res.status === 429 ? RATE_LIMIT_DELAY_MS : undefined);
        const delay = retryDelay(failures++, BACKOFF, retryAfterMs);
        deps.log.warn(`job-stop answered ${res.status}; retrying in ${delay} ms.`);
        await sleep(delay, deps.signal);
        continue;
      }
      failures = 0;
      if (res.status !== 204) ids = parseStopResponse(res.contentType, res.text);
    } catch (error) {
      if (deps.signal.aborted) return;
      if (!(error instanceof RequestTimeoutError)) {
        const delay = retryDelay(failures++, BACKOFF);
        deps.log.warn(`job-stop failed: ${(error as Error).message}; retrying in ${delay} ms.`);
        await sleep(delay, deps.signal);
        continue;
      }
    }
    for (const id of ids) deps.stop(id);
    const elapsed = performance.now() - started;
    if (ids.length === 0 && elapsed < EMPTY_CYCLE_MS)
      await sleep(EMPTY_CYCLE_MS - elapsed, deps.signal);
  }
}
