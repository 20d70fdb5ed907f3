import { createParser, type EventSourceMessage } from "eventsource-parser";
import { AbortError, InvalidResponseError } from "../../core/api-errors.js";
import {
  abortSignal,
  boolean,
  byType,
  custom,
  integer,
  object,
  string,
  validated,
} from "../../core/checks.js";
import { RunpodError } from "../../core/errors.js";
import { isRetryable, retryAfterOf, retryDelay } from "../../core/retry-policy.js";
import { sleep } from "../../internal/sleep.js";
import type { ApiRetry } from "../retry.js";

/** One log line of a pod or a serverless worker. */
export interface LogLine {
  /** When the line was written (RFC 3339). */
  readonly ts: string;
  /** `container` (stdout/stderr) or `system` (host lifecycle). */
  readonly source: "container" | "system";
  readonly line: string;
  /** The event id: pass it as `lastEventId` to resume after this line. */
  readonly id: string | undefined;
}

/** Options of `pods.logs()` and `endpoints.workerLogs()`. */
export interface LogOptions {
  /** Only `container` or only `system` lines. @default both */
  source?: "container" | "system";
  /** Lines of history before live output, 0–5000; `0` streams live lines only. @default 100 (server) */
  tail?: number;
  /** Start at this time instead of `tail` lines back. */
  since?: string | Date;
  /** Resume after this event id (a `LogLine.id`); wins over `tail` and `since`. */
  lastEventId?: string;
  /**
   * Keep following live output, reconnecting with `Last-Event-ID` when the connection drops, until
   * `signal` aborts or the loop breaks. With `false`, the iteration ends when the stream ends or
   * stays quiet for `quietMs` (the backfill has arrived). @default true
   */
  follow?: boolean;
  /** With `follow: false`: how long a quiet stream is taken as finished, in ms. @default 2000 */
  quietMs?: number;
  /** Ends the iteration (without an error) and closes the connection. */
  signal?: AbortSignal;
}

const logOptionsRule = object({
  source: custom((v) => v === "container" || v === "system", 'must be "container" or "system"'),
  tail: integer(0, 5000),
  since: byType(
    { string, object: custom((v) => v instanceof Date, "expected a Date") },
    "expected a string or a Date",
  ),
  lastEventId: string,
  follow: boolean,
  quietMs: integer(1),
  signal: abortSignal,
});

/** The options checked once (a misspelt one is reported, not dropped). */
export function checkLogOptions(options: LogOptions, what: string): LogOptions {
  return validated<LogOptions>(logOptionsRule, options, what);
}

/** Opens one connection, resuming after `lastEventId` when given; resolves with the event stream. */
export type OpenLogStream = (
  lastEventId: string | undefined,
  signal: AbortSignal,
) => Promise<ReadableStream<Uint8Array>>;

const QUIET = Symbol("quiet");

/**
 * Server-Sent Events as an AsyncIterable of parsed lines. A dropped connection is reopened with
 * `Last-Event-ID`, so no line is lost or repeated; the waits between attempts come from the
 * package's retry policy, and `retry.maxRetries` failures in a row without a line end it with the
 * last error. Breaking out of the loop or aborting `signal` closes the connection.
 */
export async function* followLogs(
  open: OpenLogStream,
  options: LogOptions,
  retry: ApiRetry,
  what: string,
): AsyncGenerator<LogLine, void, undefined> {
  const follow = options.follow ?? true;
  const quietMs = options.quietMs ?? 2_000;
  let lastEventId = options.lastEventId;
  let failures = 0;
  const outer = options.signal;
  while (!outer?.aborted) {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    outer?.addEventListener("abort", onAbort, { once: true });
    try {
      const stream = await open(lastEventId, controller.signal);
      const lines: LogLine[] = [];
      let atEnd = false;
      const parser = createParser({
        onEvent: (event: EventSourceMessage) => {
          try {
            const line = toLogLine(event, what);
            if (line) lines.push(line);
          } catch (error) {
            if (!atEnd) throw error;
          }
        },
      });
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      try {
        for (let done = false; !done; ) {
          const chunk = follow ? await reader.read() : await readOrQuiet(reader, quietMs);
          if (chunk === QUIET) return;
          if (chunk.done) {
            // A last event without its closing blank line (the document's own example ends so)
            // still counts once the stream has ended cleanly; a cut-off one is dropped.
            atEnd = true;
            parser.feed(`${decoder.decode()}\n\n`);
            done = true;
          } else {
            parser.feed(decoder.decode(chunk.value, { stream: true }));
          }
          for (const line of lines.splice(0)) {
            // A server that resumes *at* the id we sent would repeat that line: skip it.
            if (line.id !== undefined && line.id === lastEventId) continue;
            failures = 0;
            if (line.id !== undefined) lastEventId = line.id;
            yield line;
          }
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      // The server ended the stream: the backfill is complete, or the connection was cut.
      if (!follow) return;
      failures++;
      if (failures > retry.maxRetries) return;
      await sleep(retryDelay(failures - 1, retry.backoff), outer);
    } catch (error) {
      if (outer?.aborted) return;
      if (error instanceof AbortError) throw error;
      const resumable = isRetryable(error, true) || !(error instanceof RunpodError);
      failures++;
      if (!resumable || failures > retry.maxRetries) throw error;
      retry.logger.debug(`runpod-ts: ${what} dropped; resuming after ${lastEventId ?? "start"}`, {
        error: (error as Error).message,
      });
      await sleep(retryDelay(failures - 1, retry.backoff, retryAfterOf(error)), outer);
    } finally {
      outer?.removeEventListener("abort", onAbort);
      controller.abort();
    }
  }
}

async function readOrQuiet(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  quietMs: number,
): Promise<ReadableStreamReadResult<Uint8Array> | typeof QUIET> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const quiet = new Promise<typeof QUIET>((resolve) => {
    timer = setTimeout(() => resolve(QUIET), quietMs);
  });
  try {
    return await Promise.race([reader.read(), quiet]);
  } finally {
    clearTimeout(timer);
  }
}

function toLogLine(event: EventSourceMessage, what: string): LogLine | undefined {
  if (event.data === "") return undefined;
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch (error) {
    throw new InvalidResponseError(`The Runpod API sent a log event that is not JSON (${what})`, {
      status: 200,
      body: event.data,
      cause: error,
    });
  }
  const d = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  return {
    ts: typeof d.ts === "string" ? d.ts : "",
    source: d.source === "system" ? "system" : "container",
    line: typeof d.line === "string" ? d.line : String(d.line ?? ""),
    id: event.id,
  };
}
