import { ConnectionError, errorForStatus } from "../core/api-errors.js";
import { url, validated } from "../core/checks.js";
import { ValidationError } from "../core/errors.js";
import {
  AffinityWorkerGoneError,
  NoWorkersAvailableError,
  WorkerTimeoutError,
} from "../core/load-balancer-errors.js";
import { type Backoff, retryAfterOf, retryDelay } from "../core/retry-policy.js";
import { readSetting, settingEnvVar } from "../core/setting-sources.js";
import { userAgent } from "../core/user-agent.js";
import { isBrowser } from "../internal/runtime.js";
import {
  DEFAULT_HEALTH_CHECK_PATH,
  formatAffinity,
  healthStateOf,
  LB_PROCESSING_TIMEOUT_MS,
  LB_REQUEST_TIMEOUT_MS,
  loadBalancerBaseUrl,
  parseLoadBalancerError,
  WORKER_ID_HEADER,
} from "../protocol/load-balancing.js";
import { apiKey } from "./api-key.js";
import {
  type LoadBalancerEndpointOptions,
  type LoadBalancerHealth,
  type LoadBalancerRequestInit,
  lbOptionsRule,
  pathRule,
  requestInitRule,
} from "./load-balancer-options.js";
import { endpointIdRule, type FetchLike } from "./options.js";
import { globalFetch, headersRecord, timedSignal } from "./requester.js";
import { isConnectionRefused } from "./retry-policy.js";
import { sleep } from "./signals.js";

/**
 * A load-balancing endpoint (spec load-balancing.md): plain HTTP to the endpoint's own host, routed
 * by the platform to one healthy worker. `fetch` returns the worker's `Response` untouched
 * (streaming included), whatever its status; the platform's own refusals (an answer without
 * `X-Runpod-Worker-Id`, or one of its documented reasons) are thrown as the package's errors.
 */
export class LoadBalancerEndpoint {
  /** The endpoint id. */
  readonly id: string;
  /** The base URL requests go to, without a trailing slash. */
  readonly baseUrl: string;
  /** The worker that served the last response (`X-Runpod-Worker-Id`): pin to it with `worker`. */
  lastWorkerId: string | undefined;
  readonly #o: LoadBalancerEndpointOptions;
  readonly #fetch: FetchLike;
  readonly #backoff: Backoff;

  constructor(id: string, options: LoadBalancerEndpointOptions = {}) {
    this.id = validated<string>(endpointIdRule, id, "endpoint id");
    const o = validated<LoadBalancerEndpointOptions>(lbOptionsRule, options, "endpoint options");
    const env = settingEnvVar("endpointBaseUrl");
    this.baseUrl = (
      o.baseUrl ??
      loadBalancerBaseUrl(this.id, validated(url(), readSetting("endpointBaseUrl"), env))
    ).replace(/\/+$/, "");
    this.#o = o;
    this.#fetch = o.fetch ?? globalFetch;
    this.#backoff = { baseMs: o.retryDelayMs ?? 5_000, capMs: o.maxRetryDelayMs ?? 10_000 };
  }

  /**
   * Sends one request to `<baseUrl><path>` and resolves with the worker's response as soon as its
   * headers arrive. Sent again only when the platform did not run it ("no workers available", a
   * refused connection), never for any other failure, whatever the method.
   */
  async fetch(path: string, init: LoadBalancerRequestInit = {}): Promise<Response> {
    validated(pathRule, path, "request path");
    const {
      method = "GET",
      body,
      signal,
      worker,
      headers,
    } = validated<LoadBalancerRequestInit>(requestInitRule, init, "request options");
    if (body != null && /^(GET|HEAD)$/i.test(method)) {
      throw new ValidationError("request options", [
        { path: ["body"], message: `a ${method} request cannot have a body` },
      ]);
    }
    const h = new Headers(headers);
    h.set("authorization", `Bearer ${apiKey(this.#o.apiKey)}`);
    if (!isBrowser() && !h.has("user-agent")) h.set("user-agent", userAgent());
    if (worker) h.set(WORKER_ID_HEADER, formatAffinity(worker));
    const request = {
      method,
      headers: h,
      ...(body != null && { body, duplex: "half" }),
    } as RequestInit;
    const what = `${method} ${path.split("?")[0]} on endpoint ${this.id}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#send(`${this.baseUrl}${path}`, request, signal, what, worker?.id);
      } catch (error) {
        const notRun =
          error instanceof NoWorkersAvailableError ||
          (error instanceof ConnectionError && isConnectionRefused(error.cause));
        // A stream body was consumed by the first send.
        const again = notRun && !(body instanceof ReadableStream);
        if (!again || attempt >= (this.#o.maxRetries ?? 2)) throw error;
        await sleep(retryDelay(attempt, this.#backoff, retryAfterOf(error)), signal);
      }
    }
  }

  /** Asks the health path (`/ping`): 200 ready, 204 initializing, anything else unhealthy. */
  async health(options: { signal?: AbortSignal } = {}): Promise<LoadBalancerHealth> {
    const res = await this.fetch(this.#o.healthPath ?? DEFAULT_HEALTH_CHECK_PATH, options);
    await res.body?.cancel();
    return {
      state: healthStateOf(res.status),
      status: res.status,
      workerId: res.headers.get(WORKER_ID_HEADER) ?? undefined,
    };
  }

  async #send(
    target: string,
    request: RequestInit,
    signal: AbortSignal | undefined,
    what: string,
    pinned: string | undefined,
  ): Promise<Response> {
    const timeoutMs = this.#o.timeoutMs ?? LB_REQUEST_TIMEOUT_MS + LB_PROCESSING_TIMEOUT_MS;
    // The caller's signal stays followed for the life of the response: it also stops the body.
    const timed = timedSignal(signal, timeoutMs, what);
    const res = await this.#fetch(target, { ...request, signal: timed.signal })
      .catch((error: unknown) => timed.fail(error))
      .finally(() => timed.done(false));
    const served = res.headers.get(WORKER_ID_HEADER) ?? undefined;
    if (served) this.lastWorkerId = served;
    if (res.ok) return res;
    // A worker's own answer is returned whatever its status. Workers may answer 400/404/503 too,
    // so those are read (from a copy) only when small enough to be one of the platform's reasons.
    const small =
      Number(res.headers.get("content-length")) <= 256 && /^(400|404|503)$/.test(`${res.status}`);
    if (served && !small) return res;
    const text = await (served ? res.clone() : res).text();
    const reason = parseLoadBalancerError(text);
    if (served && !reason) return res;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    const headers = headersRecord(res.headers);
    const e = {
      status: res.status,
      body: parsed,
      headers,
      requestId: headers["x-request-id"],
      workerId: pinned,
    };
    const message = `${what} failed with HTTP ${res.status}: ${text.slice(0, 200)}`;
    throw reason === "no_workers_available"
      ? new NoWorkersAvailableError(message, e)
      : reason === "affinity_worker_gone"
        ? new AffinityWorkerGoneError(message, e)
        : reason === "worker_timeout"
          ? new WorkerTimeoutError(message, e)
          : errorForStatus(message, e);
  }
}
