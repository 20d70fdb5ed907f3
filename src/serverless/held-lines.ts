/**
 * Held log lines in shared memory, so another thread can write them out when the main thread stays
 * blocked. The worker holds its log lines back and writes them together (log.ts); before a handler
 * takes the thread it used to write them at once, so a handler that blocks the thread never hides
 * its "Started." line. That was a stdout write per job, 10–25 % of the CPU time of a `/runsync` in
 * `--rp_serve_api` (a write to a pipe wakes its reader). Now the main thread publishes the held
 * text here instead (a copy into memory, no system call), and the heartbeat thread, which already
 * polls shared memory for the job ids, writes the text to stdout if the main thread has not taken
 * it back within one or two of its polls. Layout: int32 state, int32 ticket (one per publication),
 * int32 byte length, int32 watching threads, then the text in UTF-8.
 */
import { SHARE_ENV, Worker, type WorkerOptions } from "node:worker_threads";

export const HELD_LINES_BYTES = 16 * 1024;
const HEADER = 16;

/** `state`: nothing published; published, not written; the thread is writing it; it wrote it. */
const EMPTY = 0;
const PUBLISHED = 1;
const WRITING = 2;
const WROTE = 3;
const STATE = 0;
const TICKET = 1;
const LENGTH = 2;
const WATCHERS = 3;

/**
 * How often the thread looks: text published at two looks in a row (one to two periods) has
 * waited that long for a main thread that would have written it within its 10 ms idle flush.
 */
export const WATCH_MS = 25;
/** How long the main thread waits for the thread to finish a write it started. */
const WRITE_WAIT_MS = 1_000;

const encoder = new TextEncoder();

export class HeldLinesShare {
  readonly buffer = new SharedArrayBuffer(HEADER + HELD_LINES_BYTES);
  private readonly meta = new Int32Array(this.buffer, 0, 4);
  private readonly bytes = new Uint8Array(this.buffer, HEADER);

  /** A watching thread was started (`true`) or ended. Counted, so a restarted one overlaps safely. */
  watching(started: boolean): void {
    Atomics.add(this.meta, WATCHERS, started ? 1 : -1);
  }

  /**
   * Publishes `text` for a watching thread to write if this thread stays blocked; `false` (nothing
   * published) when no thread watches or the text does not fit. Call `reclaim` first.
   */
  publish(text: string): boolean {
    if (Atomics.load(this.meta, WATCHERS) <= 0) return false;
    const { read, written } = encoder.encodeInto(text, this.bytes);
    if (read < text.length) return false;
    this.meta[LENGTH] = written;
    this.meta[TICKET] = ((this.meta[TICKET] as number) + 1) | 0;
    Atomics.store(this.meta, STATE, PUBLISHED);
    return true;
  }

  /**
   * Takes the publication back: `true` if the thread wrote it out (waiting for a write under
   * way to end), `false` if it did not, and from now on will not.
   */
  reclaim(): boolean {
    const state = Atomics.compareExchange(this.meta, STATE, PUBLISHED, EMPTY);
    if (state === EMPTY || state === PUBLISHED) return false;
    // A thread that died mid-write leaves WRITING behind: after the wait, count it as written.
    Atomics.wait(this.meta, STATE, WRITING, WRITE_WAIT_MS);
    Atomics.store(this.meta, STATE, EMPTY);
    return true;
  }
}

/**
 * The thread's side, `watchHeldLines(buffer)`: starts the polling and returns its stop function.
 * Source text for the heartbeat thread, as READ_MIRROR_SOURCE is (see job-id-mirror.ts).
 */
export const WATCH_HELD_LINES_SOURCE = `function watchHeldLines(buffer) {
  const { writeSync } = require("node:fs");
  const meta = new Int32Array(buffer, 0, 4);
  const bytes = new Uint8Array(buffer, ${HEADER});
  let seen;
  const timer = setInterval(() => {
    const ticket = Atomics.load(meta, ${TICKET});
    if (Atomics.load(meta, ${STATE}) !== ${PUBLISHED} || ticket !== seen) {
      seen = ticket;
      return;
    }
    if (Atomics.compareExchange(meta, ${STATE}, ${PUBLISHED}, ${WRITING}) !== ${PUBLISHED}) return;
    if (Atomics.load(meta, ${TICKET}) !== ticket) {
      // Taken back and published again between the two reads: a fresh publication, not yet due.
      Atomics.store(meta, ${STATE}, ${PUBLISHED});
      return;
    }
    const text = Buffer.from(bytes.slice(0, Atomics.load(meta, ${LENGTH})));
    let at = 0;
    try {
      while (at < text.length) at += writeSync(1, text, at);
    } catch {
      // Nothing written (a full non-blocking stdout, say): the main thread writes it when it can.
    }
    Atomics.store(meta, ${STATE}, at === 0 ? ${PUBLISHED} : ${WROTE});
    Atomics.notify(meta, ${STATE});
  }, ${WATCH_MS});
  return () => clearInterval(timer);
}`;

/**
 * What the process's small threads (the heartbeat's, and the one below) start with. They need
 * little memory (a few strings at a time): a cap keeps them small in the worker's RSS (at 4 MB,
 * Node's own start-up in a thread runs out of memory), and they share the environment instead of
 * copying it.
 */
export const SMALL_THREAD_OPTIONS = {
  resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
  env: SHARE_ENV,
} satisfies WorkerOptions;

/**
 * A thread that only writes held lines out, for a process whose heartbeat has no thread of its own
 * (`--rp_serve_api`, linked-heartbeat.ts). Its V8 isolate costs about 9 MB of RSS; without it the
 * main thread writes before every handler, which in `/runsync` cost 4-13 % of the CPU per request
 * (bench/RESULTS.md). If it dies, `publish` finds no watcher and the main thread writes the lines
 * itself, as before: nothing is hidden, only that write comes back. Returns its stop function.
 */
export function startHeldLinesThread(share: HeldLinesShare): () => Promise<void> {
  const thread = new Worker(
    `(${WATCH_HELD_LINES_SOURCE})(require("node:worker_threads").workerData);`,
    {
      eval: true,
      workerData: share.buffer,
      ...SMALL_THREAD_OPTIONS,
    },
  );
  share.watching(true);
  let watching = true;
  const stopWatching = () => {
    if (watching) share.watching(false);
    watching = false;
  };
  // It must never keep the process alive on its own; a failure only ends it (see above).
  thread.unref();
  thread.on("error", stopWatching);
  thread.on("exit", stopWatching);
  return async () => {
    stopWatching();
    await thread.terminate();
  };
}
