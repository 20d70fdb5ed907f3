/**
 * A small worker that speaks the worker protocol over real HTTP exactly as the Python worker does
 * (headers, URL shapes, Python-formatted JSON bodies labelled as form data): job-take and
 * job-take-batch long polls, job-done (results and progress), job-stream, ping, and the job-stop
 * long poll, which aborts the running handler. Test code only; not our worker runtime.
 */

import { pythonJsonDumps } from "../../src/protocol/python-json.js";
import { appendQuery, jobUrl, swapJobTakeSegment, workerUrl } from "../../src/protocol/urls.js";

export interface TakenJob {
  id: string;
  input: unknown;
  [key: string]: unknown;
}

export interface HandlerContext {
  /** Aborted when the platform sends this job's id on the job-stop channel. */
  signal: AbortSignal;
  progress(output: unknown): Promise<void>;
  stream(output: unknown): Promise<void>;
}

/** Returns the job-done body to post (e.g. `{output}` or `{error}`). */
export type Handler = (job: TakenJob, ctx: HandlerContext) => Promise<unknown>;

export class ProtocolWorker {
  readonly id: string;
  readonly #env: Record<string, string>;
  readonly #running = new Map<string, AbortController>();
  #alive = false;
  #loops: Promise<void>[] = [];
  #polls = new Set<AbortController>();

  constructor(env: Record<string, string>) {
    this.#env = env;
    this.id = env.RUNPOD_POD_ID as string;
  }

  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      "Content-Type": "application/json",
      Authorization: this.#env.RUNPOD_AI_API_KEY as string,
      "User-Agent": "RunPod-Python-SDK/1.12.0 (Linux test; x86_64) Language/Python 3.11.2",
      ...extra,
    };
  }

  get takeUrl(): string {
    return workerUrl(this.#env.RUNPOD_WEBHOOK_GET_JOB as string, this.id);
  }

  async #get(url: string, signal?: AbortSignal): Promise<Response> {
    return fetch(url, { headers: this.#headers(), ...(signal ? { signal } : {}) });
  }

  /** One job-take request; `undefined` on 204. */
  async take(signal?: AbortSignal): Promise<TakenJob | undefined> {
    const res = await this.#get(
      `${this.takeUrl}&job_in_progress=${this.#running.size > 0 ? 1 : 0}`,
      signal,
    );
    if (res.status === 204) return undefined;
    if (!res.ok) throw new Error(`job-take answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as TakenJob;
  }

  /** One job-take-batch request; `[]` on 204. */
  async takeBatch(size: number, signal?: AbortSignal): Promise<TakenJob[]> {
    const base = swapJobTakeSegment(this.takeUrl, "job-take-batch") as string;
    const res = await this.#get(`${base}&batch_size=${size}&job_in_progress=0`, signal);
    if (res.status === 204) return [];
    if (!res.ok) throw new Error(`job-take-batch answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as TakenJob[];
  }

  #post(template: string, jobId: string, body: unknown, isStream: boolean): Promise<Response> {
    const url = `${jobUrl(template, this.id, jobId)}&isStream=${isStream}`;
    return fetch(url, {
      method: "POST",
      headers: this.#headers({
        "Content-Type": "application/x-www-form-urlencoded",
        charset: "utf-8",
        "X-Request-ID": jobId,
      }),
      body: pythonJsonDumps(body, { ensureAscii: false }),
    });
  }

  /** POST job-done with `body` as given. */
  done(jobId: string, body: unknown, isStream = false): Promise<Response> {
    return this.#post(this.#env.RUNPOD_WEBHOOK_POST_OUTPUT as string, jobId, body, isStream);
  }

  /** POST job-stream with `{"output": output}`. */
  streamChunk(jobId: string, output: unknown): Promise<Response> {
    return this.#post(this.#env.RUNPOD_WEBHOOK_POST_STREAM as string, jobId, { output }, false);
  }

  /** GET ping with `runpod_version` and, when given, the in-progress ids or an unhealthy report. */
  ping(extra: ReadonlyArray<readonly [string, string]> = []): Promise<Response> {
    const url = workerUrl(this.#env.RUNPOD_WEBHOOK_PING as string, this.id);
    const ids = [...this.#running.keys()];
    const params: Array<readonly [string, string]> = [];
    if (ids.length > 0) params.push(["job_id", ids.join(",")]);
    params.push(["runpod_version", "1.12.0"], ...extra);
    return fetch(appendQuery(url, params), {
      headers: { Authorization: this.#headers().Authorization as string },
    });
  }

  /** One job-stop request; `[]` on 204. */
  async stopPoll(signal?: AbortSignal): Promise<string[]> {
    const res = await this.#get(swapJobTakeSegment(this.takeUrl, "job-stop") as string, signal);
    if (res.status === 204) return [];
    if (!res.ok) throw new Error(`job-stop answered ${res.status}`);
    return ((await res.json()) as { jobsToStop: string[] }).jobsToStop;
  }

  /**
   * Runs `handler` for every job with `concurrency` job-take loops, posting its result, and
   * listens on the job-stop channel. A stopped job posts nothing (§A.8).
   */
  start(handler: Handler, concurrency = 1): void {
    this.#alive = true;
    for (let i = 0; i < concurrency; i++) this.#loops.push(this.#takeLoop(handler));
    this.#loops.push(this.#stopLoop());
  }

  async #poll<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const controller = new AbortController();
    this.#polls.add(controller);
    try {
      return await fn(controller.signal);
    } catch (error) {
      if (!this.#alive) return undefined;
      throw error;
    } finally {
      this.#polls.delete(controller);
    }
  }

  async #takeLoop(handler: Handler): Promise<void> {
    while (this.#alive) {
      const job = await this.#poll((s) => this.take(s));
      if (job) await this.#run(handler, job);
    }
  }

  async #run(handler: Handler, job: TakenJob): Promise<void> {
    const controller = new AbortController();
    this.#running.set(job.id, controller);
    const ctx: HandlerContext = {
      signal: controller.signal,
      progress: async (output) => {
        await this.done(job.id, { status: "IN_PROGRESS", output });
      },
      stream: async (output) => {
        await this.streamChunk(job.id, output);
      },
    };
    try {
      const body = await handler(job, ctx);
      if (!controller.signal.aborted) await this.done(job.id, body);
    } catch (error) {
      if (!controller.signal.aborted) await this.done(job.id, { error: String(error) });
    } finally {
      // A retried job comes back with the same id: only forget this run's entry.
      if (this.#running.get(job.id) === controller) this.#running.delete(job.id);
    }
  }

  async #stopLoop(): Promise<void> {
    while (this.#alive) {
      const ids = (await this.#poll((s) => this.stopPoll(s))) ?? [];
      for (const id of ids) this.#running.get(id)?.abort(new Error("stopped by the platform"));
    }
  }

  /** Ends the loops, aborting held requests and running handlers, and waits for them. */
  async stop(): Promise<void> {
    this.#alive = false;
    for (const c of this.#polls) c.abort();
    for (const c of this.#running.values()) c.abort(new Error("worker stopped"));
    await Promise.allSettled(this.#loops);
    this.#loops = [];
  }
}

/** Resolves when `signal` aborts; for handlers that run until stopped. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
