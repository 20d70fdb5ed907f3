/**
 * The CLI's REST v2 commands under test: Stoplight Prism mocking the vendored document (every
 * request must validate: Prism answers 422 otherwise and names the violation), reached through a
 * recording proxy (so a test can also assert exactly what was sent), and a scripted local server
 * for what Prism cannot show (state across calls, chosen errors).
 * The run's Prism, and per test file a proxy, a scripted server and a private HOME; every run
 * checks that the API key appears nowhere in the output.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { type PrismMock, sharedPrism } from "../helpers/prism.js";
import { type RecordingProxy, startRecordingProxy } from "../helpers/recording-proxy.js";
import {
  type RecordedRequest,
  type ScriptedServer,
  startScriptedServer,
} from "../helpers/scripted-server.js";
import { type CliResult, runCli, tempHome } from "./run-cli.js";

export const API_KEY = "rpa_CLI_REST_SECRET_0123456789";

export interface RunOptions {
  /** The API's base URL (default: the proxy to Prism). */
  baseUrl?: string;
  input?: string;
  env?: Record<string, string>;
}

export interface RestSession {
  prism: PrismMock;
  /** In front of Prism: records every request the CLI sends there. */
  proxy: RecordingProxy;
  fake: ScriptedServer;
  home: string;
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
  /**
   * Against Prism: exit 0, nothing about an error on stderr, every request valid; `sent` holds
   * this run's requests as the proxy recorded them.
   */
  ok(args: readonly string[], input?: string): Promise<CliResult & { sent: RecordedRequest[] }>;
  /** Against the scripted server, with the requests it received meanwhile. */
  onFake(
    args: readonly string[],
    env?: Record<string, string>,
  ): Promise<CliResult & { requests: RecordedRequest[] }>;
  /** A usage error: exit 2, no request sent, stderr naming each of `says`. */
  usageError(args: readonly string[], ...says: string[]): Promise<CliResult>;
}

/** Registers beforeAll/afterAll hooks; the session's fields are usable inside tests. */
export function useRestSession(): RestSession {
  const { home, cleanup } = tempHome();
  const s = { home } as RestSession;
  beforeAll(async () => {
    s.prism = sharedPrism();
    [s.proxy, s.fake] = await Promise.all([
      startRecordingProxy(s.prism.baseUrl),
      startScriptedServer(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([s.proxy?.close(), s.fake?.close()]);
    cleanup();
  });
  s.run = async (args, options = {}) => {
    const result = await runCli(args, {
      home,
      env: {
        RUNPOD_API_KEY: API_KEY,
        RUNPOD_API_BASE_URL: options.baseUrl ?? s.proxy.url,
        ...options.env,
      },
      ...(options.input === undefined ? {} : { input: options.input }),
    });
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
    return result;
  };
  s.ok = async (args, input) => {
    const before = s.proxy.requests.length;
    const result = await s.run(args, input === undefined ? {} : { input });
    const what = args.join(" ");
    expect(result.stderr, what).not.toMatch(/error/i);
    expect(result.code, what).toBe(0);
    expect(s.proxy.violations, what).toEqual([]);
    return { ...result, sent: s.proxy.requests.slice(before) };
  };
  s.onFake = async (args, env) => {
    const before = s.fake.requests.length;
    const result = await s.run(args, { baseUrl: s.fake.url, ...(env ? { env } : {}) });
    return { ...result, requests: s.fake.requests.slice(before) };
  };
  s.usageError = async (args, ...says) => {
    const result = await s.onFake(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.requests).toEqual([]);
    for (const text of says) expect(result.stderr).toContain(text);
    return result;
  };
  return s;
}
