import { url, validated } from "../core/checks.js";
import { ValidationError } from "../core/errors.js";
import { readSetting, settingEnvVar } from "../core/setting-sources.js";
import { isTerminal } from "../protocol/job-states.js";
import { openaiBaseUrl } from "../protocol/openai-route.js";
import type { RunOptions } from "../protocol/run-request.js";
import type { EndpointHealth, PurgeQueueResponse } from "../protocol/status.js";
import { Batches } from "./batches.js";
import { JobHandle } from "./job-handle.js";
import {
  type EndpointOptions,
  endpointIdRule,
  endpointOptionsRule,
  jobIdRule,
  type RunCallOptions,
  type RunSyncOptions,
  resolveOptions,
  runCallOptionsRule,
  runSyncOptionsRule,
  type SignalOptions,
  signalOptionsRule,
} from "./options.js";
import { fetchRequester, globalFetch, type Requester } from "./requester.js";
import { asHealth, asPurge, asStatus } from "./responses.js";
import { Transport } from "./transport.js";
import { longPollWait, outcome, waitForOutput } from "./wait.js";

/**
 * A serverless endpoint, called over its public API. `Input` types what `run` sends, `Output`
 * what jobs resolve to and `Chunk` what `job.stream()` yields (for a streaming handler, `Output`
 * is the list of chunks). `const ep: HandlerEndpoint<typeof handler> = new Endpoint(id)` types
 * all three from the worker's handler.
 */
export class Endpoint<Input = unknown, Output = unknown, Chunk = Output> {
  /**
   * Makes the requester used when no `fetch` option is given: `fetch` here; the Node build
   * (`node.ts`, chosen by the package's `node` export condition) overrides it with undici.
   */
  protected static defaultRequester(): Requester {
    return fetchRequester(globalFetch);
  }

  /** The endpoint id. */
  readonly id: string;
  /** Batch Jobs (beta): many inputs run as one unit, typed like `run`. */
  readonly batches: Batches<Input, Output>;
  readonly #t: Transport;

  constructor(id: string, options: EndpointOptions = {}) {
    this.id = validated<string>(endpointIdRule, id, "endpoint id");
    const o = validated<EndpointOptions>(endpointOptionsRule, options, "endpoint options");
    const baseUrl = readSetting("endpointBaseUrl", o.baseUrl) as string;
    if (o.baseUrl === undefined) validated(url(), baseUrl, settingEnvVar("endpointBaseUrl"));
    const { defaultRequester } = new.target as unknown as { defaultRequester: () => Requester };
    this.#t = new Transport(this.id, baseUrl, o.apiKey, resolveOptions(o), defaultRequester);
    this.batches = new Batches(this.#t);
  }

  /**
   * The endpoint's OpenAI-compatible API (`<baseUrl>/<id>/openai/v1`), for OpenAI clients:
   * `new OpenAI({ baseURL: ep.openaiBaseUrl, apiKey })`. Each request there runs as a job.
   */
  get openaiBaseUrl(): string {
    return openaiBaseUrl(this.#t.endpointUrl);
  }

  /** Re-attaches to a job submitted earlier (by this process or another) from its ids. */
  static job<Output = unknown, Chunk = Output>(
    endpointId: string,
    jobId: string,
    options: EndpointOptions = {},
  ): JobHandle<Output, Chunk> {
    // `this`, so `Endpoint.job` of the Node build uses the Node requester too.
    const endpoint = new (this as typeof Endpoint<unknown, Output>)(endpointId, options);
    const id = validated<string>(jobIdRule, jobId, "job id");
    return new JobHandle<Output, Chunk>(endpoint.#t, id);
  }

  /** Submits a job (`POST /run`, body `{input, ...options}`) and returns it without waiting. */
  async run(input: Input, options: RunCallOptions = {}): Promise<JobHandle<Output, Chunk>> {
    const { signal, ...rest } = validated<RunCallOptions>(
      runCallOptionsRule,
      options,
      "run options",
    );
    const body = submission(input, rest);
    const reply = await this.#t.send({
      method: "POST",
      path: "/run",
      body,
      idempotent: false,
      signal,
    });
    return new JobHandle<Output, Chunk>(this.#t, asStatus(reply, "POST /run").id);
  }

  /**
   * Submits a job and waits for its output: `POST /runsync?wait`, then `status-sync` long polls
   * while the job is not final. Throws like `job.output()`.
   */
  async runSync(input: Input, options: RunSyncOptions = {}): Promise<Output> {
    const { signal, timeoutMs, cancelOnTimeout, ...rest } = validated<RunSyncOptions>(
      runSyncOptionsRule,
      options,
      "runSync options",
    );
    const body = submission(input, rest);
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    // Not aborted by the deadline: the job has no id until the server answers, and `wait` is
    // already cut to the time left, so the server answers by then (within its 1 s minimum).
    const reply = await this.#t.send({
      method: "POST",
      path: "/runsync",
      waitMs: longPollWait(this.#t.options.longPollMs, timeoutMs),
      body,
      idempotent: false,
      signal,
    });
    const first = asStatus<Output>(reply, "POST /runsync");
    if (isTerminal(first.status)) return outcome(first);
    return waitForOutput<Output>(this.#t, first.id, {
      signal,
      timeoutMs,
      deadline,
      cancelOnTimeout,
    });
  }

  /** Job and worker counters of the endpoint (`GET /health`). */
  async health(options: SignalOptions = {}): Promise<EndpointHealth> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "health options");
    return asHealth(
      await this.#t.send({ method: "GET", path: "/health", idempotent: true, signal }),
    );
  }

  /** Removes every queued job; running jobs continue (`POST /purge-queue`). */
  async purgeQueue(options: SignalOptions = {}): Promise<PurgeQueueResponse> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "purgeQueue options");
    const path = "/purge-queue";
    return asPurge(
      await this.#t.send({ method: "POST", path, body: "{}", idempotent: false, signal }),
    );
  }
}

/** The JSON body of `/run` and `/runsync`: `{input, ...options}`, input never guessed or unwrapped. */
function submission(input: unknown, options: RunOptions): string {
  if (input === undefined) {
    throw new ValidationError("run request", [{ path: ["input"], message: "is required" }]);
  }
  try {
    return JSON.stringify({ input, ...options });
  } catch (error) {
    throw new ValidationError("run request", [
      { path: ["input"], message: `is not JSON-serialisable (${(error as Error).message})` },
    ]);
  }
}
