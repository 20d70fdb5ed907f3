import { errorForStatus, InvalidResponseError } from "../core/api-errors.js";
import { readSetting, SETTING_SOURCES, settingEnvVar } from "../core/setting-sources.js";
import { userAgent } from "../core/user-agent.js";
import { isBrowser } from "../internal/runtime.js";
import { apiKey } from "./api-key.js";
import { MAX_TIMER_MS, type ResolvedOptions } from "./options.js";
import { fetchRequester, type Requester } from "./requester.js";
import { withRetries } from "./retry-policy.js";

/** One call to the serverless API, relative to `<baseUrl>/<endpointId>`. */
export interface Call {
  method: "GET" | "POST";
  /** E.g. `/run`, `/status/<job id>`. */
  path: string;
  /** Long polls: how long the server may hold the request (sent as `?wait=`), in ms. */
  waitMs?: number;
  /** The JSON body, already serialised (POST only). */
  body?: string;
  /** Safe to send twice (reads); decides the retry policy. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * The HTTP transport of one endpoint: builds requests, applies timeouts and retries, and turns
 * every failure into one of the package's error classes (the one place this happens here).
 */
export class Transport {
  readonly #ua: string | undefined = isBrowser() ? undefined : userAgent();
  /**
   * Set once a server answered 404/405 to `status-sync` for a job that `/status` knows: that server
   * has no long-poll route, so waits poll `/status` from then on.
   */
  statusSyncMissing = false;
  /** `<baseUrl>/<endpointId>`, built once: URLs are plain concatenation on the hot path. */
  readonly #root: string;
  readonly #request: Requester;

  constructor(
    readonly endpointId: string,
    baseUrl: string,
    private readonly explicitKey: string | undefined,
    readonly options: ResolvedOptions,
    defaultRequester: () => Requester,
  ) {
    const base = baseUrl.replace(/\/+$/, "");
    this.#root = `${base}/${endpointId}`;
    // Runpod's API always wants a key; another server (the local platform, a proxy that adds the
    // key) decides for itself, so with none configured the request goes without one.
    this.#keyRequired = base === SETTING_SOURCES.endpointBaseUrl.default;
    this.#baseWithoutV2 = !/\/v2$/.test(base);
    this.#request = options.fetch ? fetchRequester(options.fetch) : defaultRequester();
  }

  /** `<baseUrl>/<endpointId>`: the endpoint's API root. */
  get endpointUrl(): string {
    return this.#root;
  }

  /** Sends `call` (with retries) and returns the parsed JSON body of the 2xx response. */
  async send(call: Call): Promise<unknown> {
    const key = this.#apiKey();
    return withRetries(() => this.#once(call, key), this.options, call.idempotent, call.signal);
  }

  #key: string | undefined;
  readonly #keyRequired: boolean;
  /** Runpod's and the local platform's endpoints are under `…/v2`: a 404 says so when it is missing. */
  readonly #baseWithoutV2: boolean;

  // Looked up until found, not at construction: an app may set the env var after constructing the
  // endpoint. Then kept, since reading process.env costs a native call per request.
  #apiKey(): string | undefined {
    this.#key ??= this.#keyRequired
      ? apiKey(this.explicitKey)
      : readSetting("apiKey", this.explicitKey);
    return this.#key;
  }

  async #once(call: Call, key: string | undefined): Promise<unknown> {
    const what = `${call.method} /${this.endpointId}${call.path}`;
    const headers: Record<string, string> = {};
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    if (this.#ua) headers["user-agent"] = this.#ua;
    if (call.body !== undefined) headers["content-type"] = "application/json";

    const response = await this.#request({
      url: `${this.#root}${call.path}${call.waitMs === undefined ? "" : `?wait=${call.waitMs}`}`,
      method: call.method,
      headers,
      body: call.body,
      signal: call.signal,
      timeoutMs: Math.min(MAX_TIMER_MS, this.options.timeoutMs + (call.waitMs ?? 0)),
      what,
    });

    const { text } = response;
    const body = parseBody(text);
    if (response.ok && body.ok) return body.value;
    // Failure paths only: copying the headers costs more than the rest of a successful call.
    const responseHeaders = response.headers();
    const requestId = responseHeaders["x-request-id"];
    if (!response.ok) {
      const detail = excerpt(body.ok ? body.value : text);
      const hint = this.#hint(response.status, key);
      throw errorForStatus(`${what} failed with HTTP ${response.status}${detail}${hint}`, {
        status: response.status,
        body: body.ok ? body.value : text,
        headers: responseHeaders,
        requestId,
      });
    }
    throw new InvalidResponseError(`${what} returned a body that is not JSON${excerpt(text)}`, {
      status: response.status,
      body: text,
      headers: responseHeaders,
      requestId,
    });
  }

  #hint(status: number, key: string | undefined): string {
    if (status === 401 && key === undefined) {
      return ` (no API key was sent: pass the "apiKey" option or set ${settingEnvVar("apiKey")})`;
    }
    if (status === 404 && this.#baseWithoutV2) {
      return ` (the base URL has no /v2 at its end; Runpod's and the local platform's endpoints are under <base>/v2, e.g. http://127.0.0.1:8000/v2)`;
    }
    return "";
  }
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A short view of a body for an error message; bodies can be large. */
function excerpt(body: unknown): string {
  if (body === undefined || body === "") return "";
  const s = typeof body === "string" ? body : JSON.stringify(body);
  return `: ${s.length > 200 ? `${s.slice(0, 200)}…` : s}`;
}
