import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, print } from "graphql";
import { ClientError, GraphQLClient } from "graphql-request";
import {
  AbortError,
  ConnectionError,
  type ErrorHeaders,
  errorForStatus,
  InvalidResponseError,
  RequestTimeoutError,
} from "../../core/api-errors.js";
import { RunpodError } from "../../core/errors.js";
import { userAgent } from "../../core/user-agent.js";
import { isBrowser } from "../../internal/runtime.js";
import { type ApiRetry, withApiRetries } from "../retry.js";
import { GraphQLRequestError, toErrorEntries } from "./errors.js";
import { operationInfo } from "./operation.js";

/** Variables of a GraphQL operation. */
export type Variables = Record<string, unknown>;

/** Per-call options of {@link GraphQLTransport.execute}. */
export interface ExecuteOptions {
  /**
   * Retry this mutation like a query (network errors, timeouts, 429 and 5xx). Only for mutations
   * that are safe to repeat, such as "set the status to stopped". Queries are always retried.
   */
  idempotent?: boolean;
  /** Aborts the call, including any wait between retries. */
  signal?: AbortSignal;
}

/**
 * What resource modules need from a transport: run one typed operation and return its `data`.
 * The resource modules (src/api/resources) are the only callers, so a REST v2 transport can be
 * added later by giving those modules a second implementation behind the same method signatures.
 */
export interface OperationExecutor {
  execute<R, V extends Variables>(
    document: TypedDocumentNode<R, V> | string,
    variables: V | undefined,
    options?: ExecuteOptions,
  ): Promise<R>;
}

export interface GraphQLTransportOptions {
  /** The key, resolved once per client and shared with the REST transport. */
  apiKey: () => Promise<string>;
  /** Base URL without `/graphql`. */
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  retry: ApiRetry;
}

/** Status codes whose response carries no body, which `new Response()` refuses to be given. */
const NULL_BODY = new Set([101, 204, 205, 304]);
/** How much of an unreadable body an error keeps, so errors stay small. */
const BODY_EXCERPT = 2_000;

interface Received {
  status: number;
  headers: ErrorHeaders;
  text: string;
}

/**
 * Runpod's GraphQL endpoint over graphql-request: `POST <baseUrl>/graphql` with variables,
 * `Authorization: Bearer` (never `?api_key=`, which would put the key in URLs and logs), our
 * User-Agent and a timeout. Every failure becomes one error class here (spec §1.5).
 */
export class GraphQLTransport implements OperationExecutor {
  readonly url: string;
  readonly #options: GraphQLTransportOptions;

  constructor(options: GraphQLTransportOptions) {
    this.#options = options;
    this.url = `${options.baseUrl.replace(/\/+$/, "")}/graphql`;
  }

  async execute<R, V extends Variables>(
    document: TypedDocumentNode<R, V> | string,
    variables: V | undefined,
    options: ExecuteOptions = {},
  ): Promise<R> {
    const op = operationInfo(document as DocumentNode | string);
    const apiKey = await this.#options.apiKey();
    const query = typeof document === "string" ? document : print(document);
    return withApiRetries(
      () => this.#once<R>(query, variables, op.name, apiKey, options.signal),
      this.#options.retry,
      {
        // Mutations are repeated only when the caller says they are safe; the core policy still
        // repeats any request whose connection was refused (it never reached the server).
        idempotent: op.type === "query" || options.idempotent === true,
        what: op.name ?? "GraphQL request",
        signal: options.signal,
      },
    );
  }

  async #once<R>(
    query: string,
    variables: Variables | undefined,
    operationName: string | undefined,
    apiKey: string,
    signal: AbortSignal | undefined,
  ): Promise<R> {
    let received: Received | undefined;
    const fetchOnce = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const res = await this.#fetch(input, init, signal);
      received = { status: res.status, headers: res.headers, text: res.text };
      return new Response(NULL_BODY.has(res.status) ? null : res.text, {
        status: res.status,
        headers: res.raw,
      });
    };
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (!isBrowser()) headers["user-agent"] = userAgent();
    const client = new GraphQLClient(this.url, { fetch: fetchOnce, headers, errorPolicy: "all" });

    let result: Awaited<ReturnType<typeof client.rawRequest<R>>>;
    try {
      result = await client.rawRequest<R>(query, variables);
    } catch (error) {
      if (error instanceof RunpodError) throw error;
      throw this.#mapFailure(error, received, operationName);
    }
    const meta = { status: result.status, headers: received?.headers ?? {}, body: undefined };
    const errors = toErrorEntries(result.errors);
    if (errors.length > 0) {
      throw new GraphQLRequestError({
        ...meta,
        requestId: requestIdOf(meta.headers),
        operationName,
        errors,
        data: result.data ?? undefined,
      });
    }
    if (result.data === undefined || result.data === null) {
      throw new InvalidResponseError(
        `The Runpod API answered ${operationName ?? "a GraphQL request"} without \`data\` or \`errors\``,
        { ...meta, body: excerpt(received?.text), requestId: requestIdOf(meta.headers) },
      );
    }
    return result.data;
  }

  /** One HTTP exchange with its body fully read, so a timeout also covers a stalled body. */
  async #fetch(
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; headers: ErrorHeaders; raw: Headers; text: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (signal?.aborted) throw new AbortError("The request was aborted");
      const res = await this.#options.fetch(input, { ...init, signal: controller.signal });
      const text = await res.text();
      return { status: res.status, headers: plainHeaders(res.headers), raw: res.headers, text };
    } catch (error) {
      if (error instanceof RunpodError) throw error;
      if (signal?.aborted) throw new AbortError("The request was aborted", { cause: error });
      if (controller.signal.aborted) {
        throw new RequestTimeoutError(
          `The Runpod API did not answer within ${this.#options.timeoutMs} ms (${this.url})`,
          error,
        );
      }
      throw new ConnectionError(
        `Could not reach the Runpod API at ${this.url}: ${(error as Error).message}`,
        error,
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** A non-2xx status, or a body graphql-request could not read as a GraphQL result. */
  #mapFailure(
    error: unknown,
    received: Received | undefined,
    operationName: string | undefined,
  ): RunpodError {
    const headers = received?.headers ?? {};
    const requestId = requestIdOf(headers);
    const what = operationName ?? "a GraphQL request";
    if (error instanceof ClientError && received) {
      const body = parseJson(received.text) ?? excerpt(received.text);
      const graphqlErrors = toErrorEntries(error.response.errors);
      const detail = graphqlErrors.map((e) => e.message).join("; ");
      const hint =
        received.status === 401
          ? " (check your API key: the `apiKey` option, RUNPOD_API_KEY or `runpod-ts config`)"
          : "";
      return errorForStatus(
        `The Runpod API answered HTTP ${received.status} to ${what}${detail ? `: ${detail}` : ""}${hint}`,
        { status: received.status, body, headers, requestId },
      );
    }
    return new InvalidResponseError(
      `The Runpod API answered ${what} with a body that is not a GraphQL JSON result` +
        (received
          ? ` (HTTP ${received.status}, content-type ${headers["content-type"] ?? "none"})`
          : ""),
      {
        status: received?.status,
        body: excerpt(received?.text),
        headers,
        requestId,
        cause: error,
      },
    );
  }
}

function plainHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

function requestIdOf(headers: ErrorHeaders): string | undefined {
  return headers["x-request-id"] ?? headers["cf-ray"];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function excerpt(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.length > BODY_EXCERPT ? `${text.slice(0, BODY_EXCERPT)}…` : text;
}
