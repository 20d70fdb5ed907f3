/**
 * The queued jobs and the order workers get them. Interactive jobs (`/run`, `/runsync`) wait in
 * one FIFO, each finalized batch in its own. Production runs batches on dedicated workers so a
 * batch never delays interactive requests (batch-jobs.md §5); here the same workers serve both,
 * so interactive jobs go first, and a batch gets one take after `interactiveBurst` interactive
 * takes in a row passed it by, so a steady `/run` stream cannot starve it either. Batches share
 * their turns round-robin. Every operation is O(1) (Maps keep insertion order).
 */
export interface QueuedJob {
  id: string;
  batchId?: string | undefined;
}

export class JobQueue<J extends QueuedJob> {
  readonly #interactive = new Map<string, J>();
  /** Per batch, its queued jobs; the first batch is the next to serve. */
  readonly #batches = new Map<string, Map<string, J>>();
  #batchJobs = 0;
  /** Interactive takes in a row while batch jobs waited. */
  #streak = 0;

  constructor(private readonly interactiveBurst: number) {}

  get size(): number {
    return this.#interactive.size + this.#batchJobs;
  }

  /** Queued jobs of batches (all of them). */
  get batchSize(): number {
    return this.#batchJobs;
  }

  add(job: J): void {
    if (job.batchId === undefined) {
      this.#interactive.set(job.id, job);
      return;
    }
    let jobs = this.#batches.get(job.batchId);
    if (!jobs) {
      jobs = new Map();
      this.#batches.set(job.batchId, jobs);
    }
    if (!jobs.has(job.id)) this.#batchJobs++;
    jobs.set(job.id, job);
  }

  delete(job: J): void {
    if (job.batchId === undefined) {
      this.#interactive.delete(job.id);
      return;
    }
    const jobs = this.#batches.get(job.batchId);
    if (!jobs?.delete(job.id)) return;
    this.#batchJobs--;
    if (jobs.size === 0) this.#batches.delete(job.batchId);
  }

  /** Removes and returns the job to start next, or `undefined` when none is queued. */
  shift(): J | undefined {
    const batchWaiting = this.#batchJobs > 0;
    if (this.#interactive.size > 0 && !(batchWaiting && this.#streak >= this.interactiveBurst)) {
      if (batchWaiting) this.#streak++;
      const job = this.#interactive.values().next().value as J;
      this.#interactive.delete(job.id);
      return job;
    }
    this.#streak = 0;
    const first = this.#batches.entries().next();
    if (first.done) return undefined;
    const [batchId, jobs] = first.value;
    const job = jobs.values().next().value as J;
    jobs.delete(job.id);
    this.#batchJobs--;
    // Round-robin: this batch goes to the back of the line (or leaves it, when empty).
    this.#batches.delete(batchId);
    if (jobs.size > 0) this.#batches.set(batchId, jobs);
    return job;
  }

  /** Every queued job, interactive ones first. */
  *values(): IterableIterator<J> {
    yield* this.#interactive.values();
    for (const jobs of this.#batches.values()) yield* jobs.values();
  }
}
