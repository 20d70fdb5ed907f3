/**
 * Runs one job: input validation, the handler (any kind) inside the job's async context, streaming
 * of returned iterables, timeouts and stops. Whatever the handler does (throws a non-Error, returns
 * something JSON cannot hold, never settles after its signal aborted) ends as a final body or as
 * "stopped"; nothing here can throw past `executeJob`.
 */

import type { Job } from "../protocol/job.js";
import {
  chunkError,
  errorBody,
  type JobDoneBody,
  resultBody,
  streamChunkBody,
  streamDoneBody,
  withStopPod,
} from "../protocol/job-done.js";
import { pythonJsonDumps, UnserializableValueError } from "../protocol/python-json.js";
import { describeThrown, workerErrorString } from "../protocol/worker-error.js";
import type { WorkerOptions } from "./config.js";
import { jobStorage } from "./context.js";
import type { JobAbort } from "./job-abort.js";
import { JobAbortedError } from "./job-aborted-error.js";
import type { WorkerLog } from "./log.js";
import { ProgressChannel } from "./progress.js";
import type { JobContext } from "./types.js";

/** Identity of this worker in error strings (§A.4). */
export interface ErrorOrigin {
  hostname: string;
  workerId: string;
  runpodVersion: string;
}

export interface ExecuteDeps {
  options: WorkerOptions;
  log: WorkerLog;
  origin: ErrorOrigin;
  /**
   * Posts one stream chunk (JSON text); resolves when delivered or given up. `abort` is the job's:
   * a chunk still being retried when the job is stopped, times out or is shut down is dropped,
   * so it can never arrive after the final result.
   */
  sendChunk(jobId: string, json: string, abort: JobAbort): Promise<unknown>;
  /** Posts one progress update (JSON text); `abort` as for `sendChunk`. */
  sendProgress(jobId: string, json: string, abort: JobAbort): Promise<unknown>;
}

/** What to post for a job: a final body (as JSON text), or nothing because it was stopped. */
export type Outcome = { kind: "final"; json: string; isStream: boolean } | { kind: "stopped" };

/**
 * A final body. `logged`: its failure was logged already (a thrown error); else an error body is
 * logged at ERROR once, with `reason` (or the body's error) as what failed.
 */
type Finish = { body: JobDoneBody; isStream: boolean; logged?: true; reason?: string };

/** Python's `json.dumps(..., ensure_ascii=False)`, the form of every body the worker posts. */
export function encodeBody(body: unknown): string {
  return pythonJsonDumps(body, { ensureAscii: false, rootName: "" });
}

/** Text for a non-string `error` value: Python-form JSON, or `String()` if even that fails. */
function safeEncode(value: unknown): string {
  try {
    return encodeBody(value);
  } catch {
    return String(value);
  }
}

function errorString(
  origin: ErrorOrigin,
  type: string,
  message: string,
  traceback: string,
): string {
  return workerErrorString({
    errorType: type,
    errorMessage: message,
    errorTraceback: traceback,
    hostname: origin.hostname,
    workerId: origin.workerId,
    runpodVersion: origin.runpodVersion,
  });
}

function thrownBody(origin: ErrorOrigin, thrown: unknown): JobDoneBody {
  const d = describeThrown(thrown);
  return errorBody(errorString(origin, d.errorType, d.errorMessage, d.errorTraceback));
}

/** An iterator to stream from, for generators and returned (async) iterators; not for arrays, strings or other collections. */
function streamOf(value: unknown): AsyncIterator<unknown> | Iterator<unknown> | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return undefined;
  const v = value as {
    [Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
    [Symbol.iterator]?: () => Iterator<unknown>;
    next?: unknown;
  };
  const asyncIterator = v[Symbol.asyncIterator];
  if (typeof asyncIterator === "function") return asyncIterator.call(value);
  const iterator = v[Symbol.iterator];
  if (typeof iterator === "function" && typeof v.next === "function") return iterator.call(value);
  return undefined;
}

function issueText(
  issues: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
  }>,
): string {
  return issues
    .map((i) => {
      const path = (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

async function stream(
  job: Job,
  iterator: AsyncIterator<unknown> | Iterator<unknown>,
  signal: JobAbort,
  deps: ExecuteDeps,
): Promise<Finish> {
  const aggregate: unknown[] | undefined = deps.options.returnAggregateStream ? [] : undefined;
  try {
    while (!signal.aborted) {
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (thrown) {
        const d = describeThrown(thrown);
        // After an abort, what the handler throws is the abort's echo; the abort is logged itself.
        if (!signal.aborted)
          deps.log.error(`Captured Handler Exception: ${d.errorMessage}`, job.id);
        return {
          body: errorBody(`handler: ${d.errorMessage} \ntraceback: ${d.errorTraceback}`),
          isStream: true,
          logged: true,
        };
      }
      if (step.done) break;
      const failure = chunkError(step.value, safeEncode);
      if (failure !== undefined) {
        return { body: errorBody(failure), isStream: true, reason: `a streamed chunk: ${failure}` };
      }
      let json: string;
      try {
        json = encodeBody(streamChunkBody(step.value));
      } catch (error) {
        const message = `a streamed chunk cannot be sent as JSON: ${(error as Error).message}`;
        return {
          body: errorBody(errorString(deps.origin, "UnserializableResultError", message, "")),
          isStream: true,
          reason: message,
        };
      }
      aggregate?.push(step.value);
      await deps.sendChunk(job.id, json, signal);
    }
  } finally {
    // Lets the generator run its `finally` blocks when we stop early; it must not hold us up.
    if (signal.aborted) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
  return { body: streamDoneBody(aggregate), isStream: true };
}

/**
 * Calls the handler. A handler that returns a plain value (or throws) synchronously gets its
 * `Finish` back at once, without a promise: most of a fast job's bookkeeping is the promises
 * around it (see bench/RESULTS.md, Worker notes); anything asynchronous (a promise, a stream)
 * returns a promise.
 */
function run(
  job: Job,
  ctx: JobContext,
  signal: JobAbort,
  deps: ExecuteDeps,
  state: { streaming: boolean },
): Finish | Promise<Finish> {
  let returned: unknown;
  try {
    returned = deps.options.handler(job, ctx);
  } catch (thrown) {
    return handlerThrew(job, thrown, signal, deps);
  }
  if (typeof (returned as { then?: unknown } | null)?.then === "function")
    return settled(job, returned as PromiseLike<unknown>, signal, deps, state);
  return returnedFinish(job, returned, signal, deps, state);
}

async function settled(
  job: Job,
  returned: PromiseLike<unknown>,
  signal: JobAbort,
  deps: ExecuteDeps,
  state: { streaming: boolean },
): Promise<Finish> {
  let value: unknown;
  try {
    value = await returned;
  } catch (thrown) {
    return handlerThrew(job, thrown, signal, deps);
  }
  return returnedFinish(job, value, signal, deps, state);
}

function handlerThrew(job: Job, thrown: unknown, signal: JobAbort, deps: ExecuteDeps): Finish {
  // After an abort, what the handler throws is the abort's echo; the abort is logged itself.
  if (!signal.aborted) {
    deps.log.error(`Captured Handler Exception: ${describeThrown(thrown).errorMessage}`, job.id);
  }
  return { body: thrownBody(deps.origin, thrown), isStream: false, logged: true };
}

function returnedFinish(
  job: Job,
  returned: unknown,
  signal: JobAbort,
  deps: ExecuteDeps,
  state: { streaming: boolean },
): Finish | Promise<Finish> {
  const iterator = streamOf(returned);
  if (iterator) {
    state.streaming = true;
    return stream(job, iterator, signal, deps);
  }
  return { body: resultBody(returned, safeEncode), isStream: false };
}

/** The body for an aborted job; `undefined` for a platform stop, which posts nothing. */
function abortFinish(
  reason: unknown,
  deps: ExecuteDeps,
  job: Job,
  isStream: boolean,
): Finish | undefined {
  if (reason instanceof JobAbortedError && reason.abortCause === "stopped") return undefined;
  const type =
    reason instanceof JobAbortedError && reason.abortCause === "timeout"
      ? "TimeoutError"
      : "ShutdownError";
  const message = reason instanceof Error ? reason.message : `job ${job.id} was aborted`;
  return {
    body: errorBody(errorString(deps.origin, type, message, "")),
    isStream,
    reason: message,
  };
}

/** Validates the input (when a schema is set); returns the parsed input or a FAILED body. */
async function validatedInput(
  job: Job,
  deps: ExecuteDeps,
): Promise<{ input: unknown } | { body: JobDoneBody; reason: string }> {
  const schema = deps.options.inputSchema;
  if (!schema) return { input: job.input };
  try {
    const result = await schema["~standard"].validate(job.input);
    if (result.issues) {
      const message = `Invalid job input: ${issueText(result.issues)}`;
      return {
        body: errorBody(errorString(deps.origin, "ValidationError", message, "")),
        reason: message,
      };
    }
    return { input: result.value };
  } catch (thrown) {
    const reason = `the input schema threw: ${describeThrown(thrown).errorMessage}`;
    return { body: thrownBody(deps.origin, thrown), reason };
  }
}

/**
 * Runs `job` to its outcome. `controller` is the job's abort state (the stop channel and
 * shutdown abort it); `timeoutMs` aborts it too. The outcome is settled as soon as the signal
 * aborts, even if the handler ignores it, so the slot is freed.
 */
export async function executeJob(
  job: Job,
  controller: JobAbort,
  deps: ExecuteDeps,
): Promise<Outcome> {
  const signal = controller;
  const log = deps.log.forJob(job.id, job.batchId);
  const progress = new ProgressChannel(job.id, signal, deps, log);
  const timeoutMs = deps.options.timeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            controller.abort(
              new JobAbortedError(
                job.id,
                "timeout",
                `Job ${job.id} exceeded timeoutMs (${timeoutMs} ms) and was aborted`,
              ),
            ),
          timeoutMs,
        );
  let onAbort: (() => void) | undefined;
  // Made only for a handler that returns a promise: a synchronous one cannot be aborted midway.
  const aborted = () =>
    new Promise<"aborted">((resolve) => {
      onAbort = () => resolve("aborted");
      if (signal.aborted) resolve("aborted");
      else signal.addEventListener("abort", onAbort);
    });
  try {
    // Without a schema there is nothing to wait for: keep the hot path free of extra ticks.
    const validated = deps.options.inputSchema
      ? await validatedInput(job, deps)
      : { input: job.input };
    let finish: Finish | "aborted";
    // A streaming job that is aborted still ends with the isStream=true post.
    const state = { streaming: false };
    if ("body" in validated) {
      finish = { body: validated.body, isStream: false, reason: validated.reason };
    } else if (signal.aborted) finish = "aborted";
    else {
      const ctx: JobContext = {
        id: job.id,
        input: validated.input,
        job,
        get signal() {
          return controller.signal;
        },
        progress: (value) => progress.send(value),
        log,
      };
      const ran = jobStorage.run(ctx, () => run(job, ctx, signal, deps, state));
      finish = ran instanceof Promise ? await Promise.race([ran, aborted()]) : ran;
    }
    if (finish === "aborted" || (signal.aborted && finish.isStream)) {
      progress.close();
      const aborted = abortFinish(signal.reason, deps, job, state.streaming);
      if (!aborted) return { kind: "stopped" };
      finish = aborted;
    }
    progress.close();
    // Nothing to wait for when no update was sent: no extra tick on the hot path.
    const drained = progress.drained();
    if (drained) await drained;
    if (signal.aborted && isStop(signal.reason)) return { kind: "stopped" };
    return finalOutcome(finish, job, deps);
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

function isStop(reason: unknown): boolean {
  return reason instanceof JobAbortedError && reason.abortCause === "stopped";
}

/** Encodes the final body; a failed job is logged here, once, at ERROR with what failed. */
function finalOutcome(finish: Finish, job: Job, deps: ExecuteDeps): Outcome {
  const body = withStopPod(finish.body, deps.options.refreshWorker);
  try {
    const json = encodeBody(body);
    if (body.error !== undefined && !finish.logged) {
      deps.log.error(`Job failed: ${finish.reason ?? body.error}`, job.id);
    }
    return { kind: "final", json, isStream: finish.isStream };
  } catch (error) {
    const detail = error instanceof UnserializableValueError ? error.message : String(error);
    deps.log.error(`Job failed: the handler's result cannot be sent as JSON: ${detail}`, job.id);
    const failure = withStopPod(
      errorBody(
        errorString(
          deps.origin,
          "UnserializableResultError",
          `The handler's result cannot be sent as JSON: ${detail}`,
          "",
        ),
      ),
      deps.options.refreshWorker,
    );
    return { kind: "final", json: encodeBody(failure), isStream: finish.isStream };
  }
}
