/**
 * One local GraphQL server per test file, and a runner for the built CLI pointed at it with a
 * private HOME. Every run checks that the API key appears nowhere in the output.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { type GraphQLTestServer, startGraphQLServer } from "../helpers/graphql-server.js";
import { type CliResult, runCli, tempHome } from "./run-cli.js";

export const API_KEY = "rpa_CLITESTKEY0123456789ABCDEFGH";

export interface ApiSession {
  server: GraphQLTestServer;
  home: string;
  /** Runs the CLI with RUNPOD_API_KEY and RUNPOD_API_BASE_URL set (override with `env`). */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** Runs the CLI and returns how many requests the server received meanwhile. */
  runCounting(
    args: readonly string[],
    env?: Record<string, string>,
  ): Promise<CliResult & { requests: number }>;
  /** Runs the CLI expecting a usage error: exit 2, no request sent, stderr naming each of `says`. */
  usageError(args: readonly string[], ...says: string[]): Promise<CliResult>;
}

/** Registers beforeAll/afterAll hooks; the session's fields are usable inside tests. */
export function useApiSession(): ApiSession {
  const { home, cleanup } = tempHome();
  const session = { home } as ApiSession;
  beforeAll(async () => {
    session.server = await startGraphQLServer(API_KEY);
  });
  afterAll(async () => {
    await session.server.close();
    cleanup();
  });
  session.run = async (args, env = {}) => {
    const result = await runCli(args, {
      home,
      env: { RUNPOD_API_KEY: API_KEY, RUNPOD_API_BASE_URL: session.server.baseUrl, ...env },
    });
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
    return result;
  };
  session.runCounting = async (args, env) => {
    const before = session.server.requests.length;
    const result = await session.run(args, env);
    return { ...result, requests: session.server.requests.length - before };
  };
  session.usageError = async (args, ...says) => {
    const result = await session.runCounting(args);
    expect(result.code).toBe(2);
    expect(result.requests).toBe(0);
    for (const text of says) expect(result.stderr).toContain(text);
    return result;
  };
  return session;
}
