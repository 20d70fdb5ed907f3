import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../core/logger.js";
import { isTerminal, type JobState } from "../protocol/job-states.js";
import {
  failedJobError,
  OPENAI_PATH,
  OPENAI_ROUTE_PREFIX,
  type OpenAIBody,
  type OpenAIErrorBody,
  type OpenAIRoute,
  openaiError,
  openaiJobInput,
  responseOfOutput,
  sseData,
  sseTextOf,
  wantsStream,
} from "../protocol/openai-route.js";
import { RUNSYNC_BODY_LIMIT } from "../protocol/run-request.js";
import { readJsonBody } from "./body.js";
import { type Hangup, hangupOf } from "./hangup.js";
import { HttpError, jsonError } from "./http-errors.js";
import type { JobRecord, JobStore } from "./job-store.js";
import type { PlatformCore } from "./platform-core.js";
import { route } from "./route.js";

/** How long one read of a running stream waits before looking again (no deadline: the job's own). */
const STREAM_READ_MS = 60_000;

const encoder = new TextEncoder();

const closing = () =>
  openaiError("the local platform is shutting down; the job did not finish", "server_error");

/**
 * The OpenAI-compatible route (spec openai-route.md §8): each request to `/openai/v1/<route>`
 * becomes an ordinary queue job with input `{openai_route, openai_input}`, and its answer is the
 * job's output (JSON) or, for `"stream": true`, the worker's stream chunks written verbatim as
 * `text/event-stream` the moment they arrive. The request owns its job: when the client goes away
 * before the answer is complete, the job is cancelled (its worker gets a stop). Errors are OpenAI
 * error objects (`http-errors.ts` gives auth, cross-site and routing failures the same shape); the
 * answer carries the job id as `x-request-id`, which the `openai` SDK exposes as `_request_id`.
 */
export function openaiRoutes(app: Hono, core: PlatformCore, logger: Logger): void {
  route(app, `${OPENAI_PATH}/*`, ["GET", "POST"], async (c) => {
    const openaiRoute = routeOf(c.req.path);
    if (openaiRoute === undefined) {
      return jsonError(
        c,
        404,
        `no OpenAI route ${c.req.path}: the OpenAI-compatible API is under ${OPENAI_PATH}/v1/`,
      );
    }
    const body = await readBody(c);
    const job = core.store.submit({ input: openaiJobInput(openaiRoute, body) }, true);
    c.header("x-request-id", job.id);
    const hangup = hangupOf(c);
    const answer = new Answer(core.store, job.id, hangup);
    if (wantsStream(body)) return answer.stream(c, core.options.openaiWaitMs, logger);
    return answer.json(c, core.options.openaiWaitMs);
  });
}

/** `/v1/<route>` from the request path, or `undefined` when it is not under `/openai/v1/`. */
function routeOf(path: string): OpenAIRoute | undefined {
  const at = path.indexOf(`${OPENAI_PATH}${OPENAI_ROUTE_PREFIX}`);
  if (at === -1) return undefined;
  const rest = path.slice(at + OPENAI_PATH.length);
  return rest.length > OPENAI_ROUTE_PREFIX.length ? (rest as OpenAIRoute) : undefined;
}

/** The JSON body, `undefined` when there is none (GET `/models`); it must be a JSON object. */
async function readBody(c: Context): Promise<OpenAIBody | undefined> {
  if (c.req.method === "GET") return undefined;
  const body = await readJsonBody(c, RUNSYNC_BODY_LIMIT, { optional: true });
  if (body === undefined) return undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "request body must be a JSON object");
  }
  return body as OpenAIBody;
}

type Read = { status: JobState; stream: Array<{ output: unknown }> } | undefined;

/** The answer to one request: waits on its job and turns what happens into the HTTP response. */
class Answer {
  /** Set once the answer is complete; a later `close` of the connection is not a hang-up. */
  #done = false;
  #warned = false;

  constructor(
    private readonly store: JobStore,
    private readonly id: string,
    private readonly hangup: Hangup,
  ) {
    hangup.addEventListener("abort", () => this.#abandon(), { once: true });
  }

  /** Non-streaming: the job's output as JSON once it is final. */
  async json(c: Context, waitMs: number): Promise<Response> {
    await this.store.waitFinal(this.id, waitMs, this.hangup);
    const job = this.store.get(this.id);
    if (this.hangup.aborted) return this.#abandon();
    if (job === undefined) return this.#finish(c, 500, this.#removed());
    if (this.store.closed && !isTerminal(job.status)) return this.#finish(c, 503, closing());
    if (!isTerminal(job.status)) return this.#finish(c, 504, this.#stillRunning(waitMs));
    if (job.status !== "COMPLETED") return this.#failure(c, job);
    const output = await this.#output(job);
    if (output === undefined) {
      const message = `job ${this.id} completed without an output; an OpenAI route must return the response object`;
      return this.#finish(c, 502, openaiError(message, "worker_error"));
    }
    this.#done = true;
    return c.json(output as object, 200);
  }

  /**
   * Streaming: nothing is sent until the first chunk (or the job's end), so a job that fails first
   * still gets a proper error status; from then on every chunk is written as it arrives.
   */
  async stream(c: Context, waitMs: number, logger: Logger): Promise<Response> {
    const first = await this.#firstRead(waitMs);
    if (this.hangup.aborted) return this.#abandon();
    if (first === undefined) return this.#finish(c, 500, this.#removed());
    let pending = first.stream.map((chunk) => chunk.output);
    if (pending.length === 0) {
      if (this.store.closed && !isTerminal(first.status)) return this.#finish(c, 503, closing());
      if (!isTerminal(first.status)) return this.#finish(c, 504, this.#stillRunning(waitMs));
      const job = this.store.get(this.id);
      if (job === undefined) return this.#finish(c, 500, this.#removed());
      if (job.status !== "COMPLETED") return this.#failure(c, job);
      // A handler that did not stream (returned its whole answer): its output is the stream.
      const output = job.hasOutput ? job.output : [];
      pending = Array.isArray(output) ? output : [output];
    }
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#write(controller, pending, logger);
        if (isTerminal(first.status)) this.#end(controller, first.status);
        else void this.#pump(controller, logger);
      },
      cancel: () => {
        this.#abandon();
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "transfer-encoding": "chunked",
        "x-request-id": this.id,
      },
    });
  }

  /** Chunks or the job's end, whichever comes first, up to `waitMs` (progress wakes us early). */
  async #firstRead(waitMs: number): Promise<Read> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      const left = Math.max(0, deadline - performance.now());
      const read = await this.store.drainStream(this.id, left, this.hangup);
      if (read === undefined || read.stream.length > 0 || isTerminal(read.status)) return read;
      if (this.hangup.aborted || left === 0 || this.store.closed) return read;
    }
  }

  async #pump(controller: ReadableStreamDefaultController<Uint8Array>, logger: Logger) {
    for (;;) {
      const read = await this.store.drainStream(this.id, STREAM_READ_MS, this.hangup);
      if (this.#done || this.hangup.aborted) return;
      if (read === undefined) {
        controller.enqueue(encoder.encode(sseData(this.#removed())));
        return this.#close(controller);
      }
      this.#write(
        controller,
        read.stream.map((chunk) => chunk.output),
        logger,
      );
      if (isTerminal(read.status)) return this.#end(controller, read.status);
      if (this.store.closed) {
        controller.enqueue(encoder.encode(sseData(closing())));
        return this.#close(controller);
      }
    }
  }

  #write(
    controller: ReadableStreamDefaultController<Uint8Array>,
    chunks: unknown[],
    logger: Logger,
  ) {
    for (const chunk of chunks) {
      if (typeof chunk !== "string" && !this.#warned) {
        this.#warned = true;
        logger.warn(
          `job ${this.id}: a stream chunk is not a string; written as "data: <JSON>". Runpod relays raw SSE text only: yield strings such as "data: {...}\\n\\n"`,
        );
      }
      controller.enqueue(encoder.encode(sseTextOf(chunk)));
    }
  }

  /** After the stream started, a failure can only be told inside it: one error event, then the end. */
  #end(controller: ReadableStreamDefaultController<Uint8Array>, status: JobState) {
    if (status !== "COMPLETED") {
      const job = this.store.get(this.id);
      const error = job ? this.#errorOf(job).body : this.#removed();
      controller.enqueue(encoder.encode(sseData(error)));
    }
    this.#close(controller);
  }

  #close(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#done = true;
    controller.close();
  }

  /** The job's output as the answer: the object, or the one element of a one-element list. */
  async #output(job: JobRecord): Promise<unknown> {
    let output = job.hasOutput ? job.output : undefined;
    // A generator without `return_aggregate_stream` ends with `[]`; what it yielded is in the chunks.
    if (Array.isArray(output) && output.length === 0) {
      const read = await this.store.drainStream(this.id, 0);
      if (read && read.stream.length > 0) output = read.stream.map((chunk) => chunk.output);
    }
    return output === undefined || output === null ? undefined : responseOfOutput(output);
  }

  #failure(c: Context, job: JobRecord): Response {
    const { status, body } = this.#errorOf(job);
    // The job is over for good: an OpenAI client must not send it again by itself.
    if (job.status === "CANCELLED") c.header("x-should-retry", "false");
    return this.#finish(c, status, body);
  }

  #errorOf(job: JobRecord): { status: number; body: OpenAIErrorBody } {
    if (job.status === "FAILED") return failedJobError(job.error);
    if (job.status === "TIMED_OUT") {
      const message = `job ${this.id} timed out: it ran longer than the endpoint's execution timeout`;
      return { status: 504, body: openaiError(message, "timeout_error") };
    }
    const message = `job ${this.id} was cancelled`;
    return { status: 409, body: openaiError(message, "job_cancelled") };
  }

  #stillRunning(waitMs: number): OpenAIErrorBody {
    const message = `job ${this.id} has not answered within ${waitMs} ms; it keeps running (GET /status/${this.id} reads its result)`;
    return openaiError(message, "timeout_error");
  }

  #removed(): OpenAIErrorBody {
    return openaiError(
      `job ${this.id} was removed before it answered (TTL or purge)`,
      "server_error",
    );
  }

  #finish(c: Context, status: number, body: OpenAIErrorBody): Response {
    this.#done = true;
    return c.json(body, status as ContentfulStatusCode);
  }

  /** The client went away before the answer was complete: its job is cancelled. */
  #abandon(): Response {
    if (!this.#done) {
      this.#done = true;
      this.store.cancel(this.id);
    }
    return new Response(null, { status: 499 });
  }
}
