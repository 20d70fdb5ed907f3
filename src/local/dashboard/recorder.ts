import { isTerminal } from "../../protocol/job-states.js";
import type { PlatformEvent } from "../events.js";

/**
 * A stream chunk, progress value or webhook attempt, as the job view lists it. `seq` numbers a
 * job's entries of one kind from 0, so a page that holds a snapshot and also hears live changes can
 * tell an entry it already has from a new one.
 */
export interface ChunkEntry {
  seq: number;
  at: number;
  output: unknown;
}
export interface WebhookEntry {
  seq: number;
  at: number;
  url: string;
  attempt: number;
  ok: boolean;
  status?: number;
}

/** What the platform forgets but the job view shows: chunks are drained by `/stream` reads. */
export interface JobHistory {
  chunks: ChunkEntry[];
  /** Chunks dropped to stay under the cap, oldest first. */
  droppedChunks: number;
  progress: ChunkEntry[];
  webhooks: WebhookEntry[];
}

/** Jobs finished in one bucket of the chart. */
export interface MetricsBucket {
  /** Epoch milliseconds of the bucket's start. */
  start: number;
  finished: number;
  /** Mean of delayTime + executionTime over the bucket's finished jobs; absent when none. */
  latencyMs?: number;
}

export interface Metrics {
  bucketMs: number;
  buckets: MetricsBucket[];
}

/** Caps so a chatty worker cannot grow the dashboard's memory without bound. */
const MAX_CHUNKS = 500;
const MAX_PROGRESS = 100;
const MAX_WEBHOOKS = 50;
/** Values whose JSON is longer are kept as a truncated preview string. */
const PREVIEW_CHARS = 64 * 1024;
const BUCKET_MS = 10_000;
const BUCKETS = 30;

/** Keeps large values out of the event stream and the recorder. */
export function preview(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= PREVIEW_CHARS) return value;
  return `${text.slice(0, PREVIEW_CHARS)}… (truncated, ${text.length} characters)`;
}

/**
 * Listens to the platform from its start and keeps, per job, the history the status object does
 * not carry (stream chunks, progress values, webhook attempts), plus finished-job counts and
 * latencies per time bucket for the chart. A job's history goes when the platform forgets the job.
 */
export class Recorder {
  readonly #history = new Map<string, JobHistory>();
  #buckets: Array<{ start: number; finished: number; latencySum: number; timed: number }> = [];

  history(id: string): JobHistory {
    return this.#history.get(id) ?? { chunks: [], droppedChunks: 0, progress: [], webhooks: [] };
  }

  /** The entry the last event of this kind added to the job's history, if any. */
  latest(id: string, kind: "chunks" | "progress"): ChunkEntry | undefined;
  latest(id: string, kind: "webhooks"): WebhookEntry | undefined;
  latest(
    id: string,
    kind: "chunks" | "progress" | "webhooks",
  ): ChunkEntry | WebhookEntry | undefined {
    return this.#history.get(id)?.[kind].at(-1);
  }

  #entry(id: string): JobHistory {
    let h = this.#history.get(id);
    if (!h) {
      h = { chunks: [], droppedChunks: 0, progress: [], webhooks: [] };
      this.#history.set(id, h);
    }
    return h;
  }

  record(event: PlatformEvent): void {
    const at = Date.now();
    switch (event.type) {
      case "job": {
        const { job, previous } = event;
        // IN_PROGRESS → IN_PROGRESS is a progress update (a job-done with status IN_PROGRESS).
        if (previous === "IN_PROGRESS" && job.status === "IN_PROGRESS") {
          const list = this.#entry(job.id).progress;
          pushCapped(list, { seq: nextSeq(list), at, output: preview(job.output) }, MAX_PROGRESS);
        } else if (job.status === "IN_QUEUE" && previous !== undefined) {
          // A retry starts the job afresh, as the platform does.
          this.#history.delete(job.id);
        } else if (isTerminal(job.status) && previous !== undefined && !isTerminal(previous)) {
          this.#finished(at, job.delayTime, job.executionTime);
        }
        return;
      }
      case "stream-chunk": {
        const h = this.#entry(event.id);
        const entry = { seq: nextSeq(h.chunks), at, output: preview(event.chunk.output) };
        if (pushCapped(h.chunks, entry, MAX_CHUNKS)) {
          h.droppedChunks++;
        }
        return;
      }
      case "webhook": {
        const { id, url, attempt, ok, status } = event;
        const list = this.#entry(id).webhooks;
        const entry: WebhookEntry = { seq: nextSeq(list), at, url, attempt, ok };
        if (status !== undefined) entry.status = status;
        pushCapped(list, entry, MAX_WEBHOOKS);
        return;
      }
      case "job-removed":
        this.#history.delete(event.id);
        return;
      default:
        return;
    }
  }

  #finished(at: number, delay: number | undefined, execution: number | undefined): void {
    const start = at - (at % BUCKET_MS);
    let last = this.#buckets.at(-1);
    if (!last || last.start !== start) {
      last = { start, finished: 0, latencySum: 0, timed: 0 };
      this.#buckets.push(last);
      this.#buckets = this.#buckets.filter((b) => b.start > start - BUCKETS * BUCKET_MS);
    }
    last.finished++;
    if (delay !== undefined || execution !== undefined) {
      last.latencySum += (delay ?? 0) + (execution ?? 0);
      last.timed++;
    }
  }

  /** The last `BUCKETS` buckets up to now, empty ones included, oldest first. */
  metrics(): Metrics {
    const now = Date.now();
    const current = now - (now % BUCKET_MS);
    const byStart = new Map(this.#buckets.map((b) => [b.start, b]));
    const buckets: MetricsBucket[] = [];
    for (let i = BUCKETS - 1; i >= 0; i--) {
      const start = current - i * BUCKET_MS;
      const b = byStart.get(start);
      const bucket: MetricsBucket = { start, finished: b?.finished ?? 0 };
      if (b && b.timed > 0) bucket.latencyMs = Math.round(b.latencySum / b.timed);
      buckets.push(bucket);
    }
    return { bucketMs: BUCKET_MS, buckets };
  }
}

/** Appends, dropping the oldest entry past `max`; true when one was dropped. */
/** Lists only lose their oldest entries (never all), so the last one carries the count so far. */
function nextSeq(list: ReadonlyArray<{ seq: number }>): number {
  return (list.at(-1)?.seq ?? -1) + 1;
}

function pushCapped<T>(list: T[], item: T, max: number): boolean {
  list.push(item);
  if (list.length <= max) return false;
  list.shift();
  return true;
}
