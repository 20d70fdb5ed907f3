import { InvalidResponseError } from "../core/api-errors.js";
import { abortSignal, func, integer, object, validated } from "../core/checks.js";
import { RunpodError, ValidationError } from "../core/errors.js";
import { isJsonObject } from "../internal/json-object.js";
import {
  BATCH_BODY_LIMIT,
  type BatchCreated,
  type BatchRequestResult,
  type BatchRequestsPage,
  type BatchSummary,
  batchDone,
} from "../protocol/batch.js";
import type { BatchResultsOptions, BatchWaitOptions } from "./batches.js";
import { jobIdRule, type SignalOptions, signalOptionsRule } from "./options.js";
import { Backoff, sleep } from "./signals.js";
import type { Transport } from "./transport.js";

const resultsRule = object({ signal: abortSignal, pageSize: integer(1, 1_000) });
const waitRule = object({ signal: abortSignal, onProgress: func });

/** Room for `{"requests":[` … `]}` around the items of one body. */
const ENVELOPE = 64;

function expectShape<T>(ok: boolean, value: unknown, what: string): T {
  if (!ok) {
    throw new InvalidResponseError(`${what} is not a valid batch response`, {
      status: 200,
      body: value,
    });
  }
  return value as T;
}

const isSummary = (v: unknown) =>
  isJsonObject(v) && typeof v.id === "string" && typeof v.requestTotal === "number";

/**
 * What `endpoint.batches` does (see `batches.ts`, which loads this module on first use). State
 * changes are never re-sent unless the connection was refused (a create sent twice would make two
 * batches); reads are retried.
 */
export class BatchClient<Input, Output> {
  readonly #t: Transport;

  constructor(transport: Transport) {
    this.#t = transport;
  }

  async create(inputs: readonly Input[], options: SignalOptions = {}): Promise<BatchCreated> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "create options");
    const [first = "", ...rest] = bodies(inputs);
    const value = await this.#send("POST", "", `[${first}]`, signal);
    const created = expectShape<BatchCreated>(
      isJsonObject(value) && typeof value.id === "string",
      value,
      "POST /batch",
    );
    try {
      for (const items of rest) await this.#append(created.id, items, signal);
    } catch (error) {
      throw new RunpodError(
        `batch ${created.id} was created, but adding its inputs failed (${(error as Error).message}); it is a DRAFT: append the rest or cancel it`,
        { cause: error },
      );
    }
    return created;
  }

  async append(
    id: string,
    inputs: readonly Input[],
    options: SignalOptions = {},
  ): Promise<BatchSummary> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "append options");
    let summary: BatchSummary | undefined;
    for (const items of bodies(inputs)) summary = await this.#append(batchId(id), items, signal);
    return summary as BatchSummary;
  }

  async finalize(id: string, options: SignalOptions = {}): Promise<BatchSummary> {
    return this.#summary("POST", `/${batchId(id)}/finalize`, options);
  }

  async get(id: string, options: SignalOptions = {}): Promise<BatchSummary> {
    return this.#summary("GET", `/${batchId(id)}`, options);
  }

  async cancel(id: string, options: SignalOptions = {}): Promise<BatchSummary> {
    return this.#summary("POST", `/${batchId(id)}/cancel`, options);
  }

  async list(options: SignalOptions = {}): Promise<BatchSummary[]> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "list options");
    const value = await this.#send("GET", "", undefined, signal);
    return expectShape(Array.isArray(value) && value.every(isSummary), value, "GET /batch");
  }

  async *results(
    id: string,
    options: BatchResultsOptions = {},
  ): AsyncGenerator<BatchRequestResult<Output>, void, undefined> {
    const o = validated<BatchResultsOptions>(resultsRule, options, "results options");
    const path = `/${batchId(id)}/requests?limit=${o.pageSize ?? 50}&offset=`;
    for (let offset = 0; ; ) {
      const value = await this.#send("GET", path + offset, undefined, o.signal);
      const page = expectShape<BatchRequestsPage<Output>>(
        isJsonObject(value) && Array.isArray(value.requests),
        value,
        `GET /batch${path}${offset}`,
      );
      yield* page.requests;
      offset += page.requests.length;
      if (!page.hasMore || page.requests.length === 0) return;
    }
  }

  async submit(inputs: readonly Input[], options: BatchWaitOptions = {}): Promise<BatchSummary> {
    const o = validated<BatchWaitOptions>(waitRule, options, "submit options");
    const { id } = await this.create(inputs, { signal: o.signal });
    return this.#wait(await this.finalize(id, { signal: o.signal }), o);
  }

  async wait(id: string, options: BatchWaitOptions = {}): Promise<BatchSummary> {
    const o = validated<BatchWaitOptions>(waitRule, options, "wait options");
    return this.#wait(await this.get(id, { signal: o.signal }), o);
  }

  async #wait(first: BatchSummary, { signal, onProgress }: BatchWaitOptions) {
    const backoff = new Backoff(this.#t.options.pollIntervalMs, this.#t.options.maxPollIntervalMs);
    let summary = first;
    let seen = "";
    for (;;) {
      const key = `${summary.status}/${summary.requestInProgress}/${summary.requestCompleted}/${summary.requestFailed}`;
      if (key !== seen) {
        seen = key;
        backoff.reset();
        onProgress?.(summary);
      }
      if (batchDone(summary)) return summary;
      await sleep(backoff.next(), signal);
      summary = await this.get(summary.id, { signal });
    }
  }

  #append(id: string, items: string, signal?: AbortSignal): Promise<BatchSummary> {
    return this.#summary("POST", `/${id}/requests`, { signal }, `{"requests":[${items}]}`);
  }

  async #summary(
    method: "GET" | "POST",
    path: string,
    options: SignalOptions,
    body?: string,
  ): Promise<BatchSummary> {
    const { signal } = validated<SignalOptions>(signalOptionsRule, options, "options");
    const value = await this.#send(
      method,
      path,
      body ?? (method === "POST" ? "{}" : undefined),
      signal,
    );
    return expectShape(isSummary(value), value, `${method} /batch${path}`);
  }

  #send(method: "GET" | "POST", path: string, body: string | undefined, signal?: AbortSignal) {
    return this.#t.send({
      method,
      path: `/batch${path}`,
      ...(body === undefined ? {} : { body }),
      idempotent: method === "GET",
      signal,
    });
  }
}

function batchId(id: string): string {
  return encodeURIComponent(validated<string>(jobIdRule, id, "batch id"));
}

/**
 * The inputs as `{"input": …}` JSON items joined into bodies of at most 10 MiB each (UTF-8 bytes),
 * checked before anything is sent: an array, no `undefined`, all serialisable, none too big alone.
 */
function bodies(inputs: readonly unknown[]): string[] {
  if (!Array.isArray(inputs)) {
    throw new ValidationError("batch inputs", [{ path: [], message: "expected an array" }]);
  }
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = "";
  let size = 0;
  inputs.forEach((input, i) => {
    let item: string | undefined;
    try {
      item = input === undefined ? undefined : JSON.stringify({ input });
    } catch (error) {
      throw new ValidationError("batch inputs", [
        { path: [i], message: `is not JSON-serialisable (${(error as Error).message})` },
      ]);
    }
    if (item === undefined) {
      throw new ValidationError("batch inputs", [{ path: [i], message: "is required" }]);
    }
    const bytes = encoder.encode(item).length + 1;
    if (bytes > BATCH_BODY_LIMIT - ENVELOPE) {
      throw new ValidationError("batch inputs", [
        { path: [i], message: `is ${bytes} bytes as JSON; one batch call carries at most 10 MiB` },
      ]);
    }
    if (size + bytes > BATCH_BODY_LIMIT - ENVELOPE) {
      out.push(current);
      current = "";
      size = 0;
    }
    current += size === 0 ? item : `,${item}`;
    size += bytes;
  });
  if (size > 0 || out.length === 0) out.push(current);
  return out;
}
