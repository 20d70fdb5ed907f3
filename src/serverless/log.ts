/**
 * The worker's log lines (§A.12): JSON `{"requestId", "message", "level"}` on the platform (when
 * `RUNPOD_ENDPOINT_ID` is set), `LEVEL  | job | message` text otherwise, always to stdout.
 */
import { inspect } from "node:util";
import { ValidationError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { pythonJsonString } from "../protocol/python-json.js";
import { HeldLinesShare } from "./held-lines.js";

export const LOG_LEVELS = ["NOTSET", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
export type WorkerLogLevel = (typeof LOG_LEVELS)[number];

/** A level name (any case) or its index 0–5, as Python accepts; anything else is an error. */
export function parseLogLevel(raw: string, source: string): WorkerLogLevel {
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) {
    const byIndex = LOG_LEVELS[Number(trimmed)];
    if (byIndex) return byIndex;
  }
  const byName = LOG_LEVELS.find((l) => l === trimmed.toUpperCase());
  if (byName) return byName;
  throw new ValidationError(source, [
    { path: [], message: `unknown log level "${raw}"; use one of ${LOG_LEVELS.join(", ")} or 0-5` },
  ]);
}

const MAX = 4096;
const HALF = 2048;

/** Messages over 4096 characters keep their first and last 2048 (§A.12). */
export function truncateMessage(message: string): string {
  if (message.length <= MAX) return message;
  const cut = message.length - MAX;
  return `${message.slice(0, HALF)}\n...TRUNCATED ${cut} CHARACTERS...\n${message.slice(-HALF)}`;
}

export interface LogSink {
  write(line: string): void;
  /** Writes out what `write` held back, if it holds lines back. */
  flush?(): void;
  /**
   * A handler is about to take the thread: held lines must come out even if it never gives the
   * thread back. Without it, `flush` is called.
   */
  handOff?(): void;
  /** Where held lines are shared with a thread that can write them out (see held-lines.ts). */
  readonly heldLines?: HeldLinesShare;
}

/** How long held lines may wait for a write to join when nothing else writes them out. */
const IDLE_FLUSH_MS = 10;

type Write = typeof process.stdout.write;

/**
 * The worker's lines to stdout, gathered and written together instead of one write each: a write
 * to a pipe or a terminal is a system call that also wakes its reader, and at thousands of jobs a
 * second they cost more than the rest of a job's bookkeeping. Lines are held until anything else
 * in the process writes to stdout or stderr (so `console.log`, `console.error` and other output
 * keep their place after the lines logged before them), until the process exits, or for at most
 * `IDLE_FLUSH_MS`: a few writes a second under load instead of one or two per job (see
 * bench/RESULTS.md). When the worker hands the thread to a handler (`handOff`), a handler that
 * blocks it must not hide its "Started." line: the held text is published to the heartbeat
 * thread, which writes it out if this thread stays blocked (held-lines.ts); with no such thread
 * (no heartbeat, or a stdout with a write queued), it is written at once, as before.
 */
class HeldStdout implements LogSink {
  #pending = "";
  /** How many characters at the start of `#pending` are published to the heartbeat thread. */
  #published = 0;
  #timer: NodeJS.Timeout | undefined;
  /** stdout's `write` as it was before the hook: what `flush` writes through. */
  #write: Write | undefined;
  readonly heldLines = new HeldLinesShare();

  write(line: string): void {
    if (this.#write === undefined) this.#hook();
    const idle = this.#pending === "";
    this.#pending += line;
    if (!idle) return;
    if (this.#timer) this.#timer.refresh();
    else this.#timer = setTimeout(this.#onIdle, IDLE_FLUSH_MS).unref();
  }

  flush(): void {
    this.#reclaim();
    if (this.#pending === "") return;
    const text = this.#pending;
    this.#pending = "";
    (this.#write as Write).call(process.stdout, text);
  }

  handOff(): void {
    this.#reclaim();
    if (this.#pending === "") return;
    // A write queued on stdout (a full pipe where stdout is asynchronous) would come out after the
    // thread's: write through it instead.
    if (process.stdout.writableLength === 0 && this.heldLines.publish(this.#pending)) {
      this.#published = this.#pending.length;
    } else this.flush();
  }

  /** Takes the published text back, dropping it from what is held if the thread wrote it. */
  #reclaim(): void {
    if (this.#published === 0) return;
    if (this.heldLines.reclaim()) this.#pending = this.#pending.slice(this.#published);
    this.#published = 0;
  }

  readonly #onIdle = () => this.flush();

  /**
   * Wraps stdout's and stderr's `write` once, so any other output first lets held lines out. Once
   * for the process (as stdout is); a later replacement of `write` by someone else still works,
   * only without that ordering.
   */
  #hook(): void {
    const stdout = process.stdout;
    const original = stdout.write;
    this.#write = original;
    const sink = this;
    for (const stream of [stdout, process.stderr]) {
      const write = stream === stdout ? original : stream.write;
      stream.write = function (this: NodeJS.WriteStream, ...args: Parameters<Write>) {
        sink.flush();
        return write.apply(this, args);
      } as Write;
    }
    process.once("exit", () => this.flush());
  }
}

/** One for the process, as stdout is: every worker logger's lines share its order. */
const stdoutSink = new HeldStdout();

function render(message: string, meta: unknown[]): string {
  if (meta.length === 0) return message;
  return [message, ...meta.map((m) => (typeof m === "string" ? m : inspect(m, { depth: 4 })))].join(
    " ",
  );
}

/**
 * The worker logger: levels, format and truncation; `forJob` gives a job-scoped `Logger`. While a
 * job of a batch is handled, every line with its id starts with `[batchId=<id>] `, as
 * runpod-python ≥ 1.12 writes it (batch-jobs.md §5): the handler's lines, the worker's own
 * (Started., delivery retries, Finished.); lines of no job (the fetch loop) carry none.
 */
export class WorkerLog {
  private readonly threshold: number;
  /** Job id → batch id, for the batch jobs being handled now. */
  readonly #batchOf = new Map<string, string>();

  constructor(
    level: WorkerLogLevel,
    private readonly json: boolean,
    private readonly sink: LogSink = stdoutSink,
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  enabled(level: WorkerLogLevel): boolean {
    return this.threshold !== 0 && LOG_LEVELS.indexOf(level) >= this.threshold;
  }

  /** From now until `leaveBatchJob`, lines about `jobId` carry `batchId`. */
  enterBatchJob(jobId: string, batchId: string): void {
    this.#batchOf.set(jobId, batchId);
  }

  leaveBatchJob(jobId: string): void {
    this.#batchOf.delete(jobId);
  }

  log(
    level: WorkerLogLevel,
    message: string,
    jobId?: string,
    batchId = jobId === undefined ? undefined : this.#batchOf.get(jobId),
  ): void {
    if (!this.enabled(level)) return;
    let text = batchId ? `[batchId=${batchId}] ${message}` : message;
    text = truncateMessage(text);
    // Python's json.dumps({"requestId", "message", "level"}), written out: this runs twice per job.
    const line = this.json
      ? `{"requestId": ${jobId === undefined ? "null" : pythonJsonString(jobId, true)}, "message": ${pythonJsonString(text, true)}, "level": "${level}"}`
      : jobId
        ? `${level.padEnd(7)}| ${jobId} | ${text}`
        : `${level.padEnd(7)}| ${text}`;
    this.sink.write(`${line}\n`);
  }

  /** Writes out held lines now. */
  flush(): void {
    this.sink.flush?.();
  }

  /** A handler is about to take the thread: held lines come out even if it never gives it back. */
  handOff(): void {
    if (this.sink.handOff) this.sink.handOff();
    else this.flush();
  }

  /** Shared with the heartbeat thread, which writes held lines out while this thread is blocked. */
  get heldLines(): HeldLinesShare | undefined {
    return this.sink.heldLines;
  }

  debug(message: string, jobId?: string): void {
    this.log("DEBUG", message, jobId);
  }
  info(message: string, jobId?: string): void {
    this.log("INFO", message, jobId);
  }
  warn(message: string, jobId?: string): void {
    this.log("WARN", message, jobId);
  }
  error(message: string, jobId?: string): void {
    this.log("ERROR", message, jobId);
  }

  /**
   * A `Logger` whose lines carry the job id (and batch id prefix, when the job has one). They are
   * the handler's own lines: written at once, after any held ones, never held back.
   */
  forJob(jobId: string, batchId?: string): Logger {
    const at =
      (level: WorkerLogLevel) =>
      (message: string, ...meta: unknown[]) => {
        this.log(level, render(String(message), meta), jobId, batchId);
        this.flush();
      };
    return { debug: at("DEBUG"), info: at("INFO"), warn: at("WARN"), error: at("ERROR") };
  }
}

/** The local platform's logger when it runs inside a worker process (`--rp_serve_api`): its lines go through the worker's log, marked `platform:`. */
export function platformLogger(log: WorkerLog): Logger {
  const at = (write: (m: string) => void) => (message: string) => write(`platform: ${message}`);
  return {
    debug: at((m) => log.debug(m)),
    info: at((m) => log.info(m)),
    warn: at((m) => log.warn(m)),
    error: at((m) => log.error(m)),
  };
}
