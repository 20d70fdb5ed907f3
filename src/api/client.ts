import { resolveApiKey } from "../core/api-key.js";
import {
  custom,
  func,
  integer,
  nonEmptyString,
  object,
  type Rule,
  url,
  validated,
} from "../core/checks.js";
import { type Logger, silentLogger } from "../core/logger.js";
import { readSetting, settingEnvVar } from "../core/setting-sources.js";
import type { GraphQLApi } from "./graphql/client.js";
import { type GraphQLOperations, lazyGraphQL } from "./graphql/lazy.js";
import { Billing } from "./resources/billing.js";
import { Catalog } from "./resources/catalog.js";
import { Clusters } from "./resources/clusters.js";
import { Endpoints } from "./resources/endpoints.js";
import { NetworkVolumes } from "./resources/network-volumes.js";
import { Pods } from "./resources/pods.js";
import { Registries } from "./resources/registries.js";
import { SshKeys } from "./resources/ssh-keys.js";
import { Templates } from "./resources/templates.js";
import type { RateLimitState } from "./rest/rate-limit.js";
import { RestTransport } from "./rest/transport.js";
import type { ApiRetry } from "./retry.js";

/** Options of {@link RunpodApi}. Every field is optional. */
export interface RunpodApiOptions {
  /**
   * Runpod API key. @default `RUNPOD_API_KEY`, else the `default` profile's `api_key` in
   * `~/.runpod/config.toml` (the file `runpod-ts config` writes; runpodctl's `apiKey` too)
   */
  apiKey?: string;
  /**
   * Control-plane host, without `/v2` or `/graphql` (REST v2 and GraphQL both live there).
   * @default `RUNPOD_API_BASE_URL`, else `https://api.runpod.io`
   */
  baseUrl?: string;
  /** The `fetch` to send requests with. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Per-attempt timeout in milliseconds, covering the whole response body. @default 30000 */
  timeoutMs?: number;
  /**
   * Retries of a request that is safe to repeat after a network error, timeout, 408, 429 or 5xx
   * (a creation only when its connection was refused). @default 2
   */
  maxRetries?: number;
  /** The ceiling of the first backoff delay in ms; it doubles per retry, with full jitter. @default 500 */
  retryDelayMs?: number;
  /** Receives debug lines about retries. Never receives the API key. @default silent */
  logger?: Logger;
}

const loggerRule = custom(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    ["debug", "info", "warn", "error"].every(
      (level) => typeof (v as Record<string, unknown>)[level] === "function",
    ),
  "must have debug, info, warn and error methods",
);

const optionsRule = object({
  apiKey: nonEmptyString(),
  baseUrl: url(),
  fetch: func,
  timeoutMs: integer(1),
  maxRetries: integer(0, 10),
  retryDelayMs: integer(0),
  logger: loggerRule,
} satisfies Record<keyof RunpodApiOptions, Rule>);

/**
 * The Runpod cloud API: Runpod's REST API v2 as resource namespaces (`api.pods`, `api.endpoints`,
 * ...), typed from the vendored OpenAPI document, and the older GraphQL operations behind
 * `api.graphql` for what v2 lacks.
 *
 * Requests are checked against the document before they are sent (`ValidationError` naming the
 * field). Failures are typed by status (`NotFoundError`, `RateLimitError`, ...), each keeping the
 * server's problem document (`error.problem`: `title`, `detail`, `errors[]`). Reads, updates,
 * deletions and pod actions are retried on network errors, timeouts, 408, 429 (after the wait the
 * rate-limit headers ask for) and 5xx; creations only when the connection was refused.
 *
 * @example
 * const api = new RunpodApi();
 * const pod = await api.pods.create({
 *   name: "trainer", image: "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404",
 *   gpu: { id: "NVIDIA GeForce RTX 4090", count: 1 },
 * });
 * for await (const log of api.pods.logs(pod.id)) console.log(log.line);
 */
export class RunpodApi {
  readonly pods: Pods;
  readonly endpoints: Endpoints;
  readonly templates: Templates;
  readonly networkVolumes: NetworkVolumes;
  readonly registries: Registries;
  readonly clusters: Clusters;
  readonly catalog: Catalog;
  readonly billing: Billing;
  readonly sshKeys: SshKeys;
  /**
   * Runpod's GraphQL API, for what REST v2 does not cover (secrets, user settings, spot pods) until
   * it retires in early 2027. graphql and graphql-request load on its first call.
   */
  readonly graphql: GraphQLOperations;
  readonly #rest: RestTransport;

  /** @throws ValidationError for a bad or unknown option (a malformed `baseUrl`, a misspelt name, ...). */
  constructor(options: RunpodApiOptions = {}) {
    const o = validated<RunpodApiOptions>(optionsRule, options, "RunpodApi options");
    const baseUrl = readSetting("apiBaseUrl", o.baseUrl) as string;
    if (o.baseUrl === undefined) validated(url(), baseUrl, settingEnvVar("apiBaseUrl"));
    const retryDelayMs = o.retryDelayMs ?? 500;
    const retry: ApiRetry = {
      maxRetries: o.maxRetries ?? 2,
      backoff: { baseMs: retryDelayMs, capMs: Math.max(retryDelayMs, 30_000) },
      logger: o.logger ?? silentLogger,
    };
    // Resolved on the first call, once per client; a missing key fails every call until one is
    // configured (it may come from the environment or the config file later).
    let key: Promise<string> | undefined;
    const apiKey = () => {
      key ??= resolveApiKey({ apiKey: o.apiKey }).catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return key;
    };
    const shared = {
      apiKey,
      baseUrl,
      // A closure, not `globalThis.fetch` itself: browsers reject fetch called with another `this`.
      fetch: o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: o.timeoutMs ?? 30_000,
      retry,
    } satisfies ConstructorParameters<typeof RestTransport>[0];
    this.#rest = new RestTransport(shared);
    this.pods = new Pods(this.#rest);
    this.endpoints = new Endpoints(this.#rest);
    this.templates = new Templates(this.#rest);
    this.networkVolumes = new NetworkVolumes(this.#rest);
    this.registries = new Registries(this.#rest);
    this.clusters = new Clusters(this.#rest);
    this.catalog = new Catalog(this.#rest);
    this.billing = new Billing(this.#rest);
    this.sshKeys = new SshKeys(this.#rest);
    this.graphql = lazyGraphQL(
      async (): Promise<GraphQLApi> => new (await import("./graphql/client.js")).GraphQLApi(shared),
      `${baseUrl.replace(/\/+$/, "")}/graphql`,
    );
  }

  /** The host both APIs live on (REST v2 under `/v2`, GraphQL at `/graphql`). */
  get baseUrl(): string {
    return this.#rest.baseUrl;
  }

  /**
   * The rate limits the last REST response reported, per window (`minute`, `hour`, `day`): requests
   * `remaining`, seconds until `resetSeconds`, `quota` per `windowSeconds`. `undefined` until a
   * response carried them (exempt callers never get them).
   */
  get rateLimit(): RateLimitState | undefined {
    return this.#rest.rateLimit;
  }
}
