/** Shared set-up of the endpoint tests: a scripted server and a client with fast backoff knobs. */
import { afterEach, beforeEach } from "vitest";
import { Endpoint, type EndpointOptions } from "../../src/endpoint/index.js";
import { type ScriptedServer, startScriptedServer } from "../helpers/scripted-server.js";

export const KEY = "rp_test_key_0123456789";

/** Retry and poll delays of a few ms, so retry and backoff paths run fast. */
export const FAST = {
  retryDelayMs: 1,
  maxRetryDelayMs: 5,
  pollIntervalMs: 1,
  maxPollIntervalMs: 5,
} satisfies EndpointOptions;

/** Starts a fresh server around each test of the calling file; `ctx.server` is the current one. */
export function useServer(): {
  server: ScriptedServer;
  endpoint: <I = unknown, O = unknown>(o?: EndpointOptions) => Endpoint<I, O>;
} {
  const ctx = {
    server: undefined as unknown as ScriptedServer,
    endpoint: <I = unknown, O = unknown>(o: EndpointOptions = {}) =>
      new Endpoint<I, O>("ep-1", { apiKey: KEY, baseUrl: ctx.server.baseUrl, ...FAST, ...o }),
  };
  beforeEach(async () => {
    ctx.server = await startScriptedServer();
  });
  afterEach(async () => {
    await ctx.server.close();
  });
  return ctx;
}
