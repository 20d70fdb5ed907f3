/**
 * Stoplight Prism mocking the vendored REST v2 document: an independent judge of the contract (or
 * proxying a server that implements it, `startPrismProxy`).
 * It answers 422 (401 without a Bearer key) to any request that breaks the document, and reports
 * each violation in an `sl-violations` header, which `judgedFetch` records. The mock is stateless,
 * so one serves the whole run (`sharedPrism`, started by `prism-setup.ts`); a proxy starts per test
 * file. Each listens on a port the system picks (`-p 0`), without `--errors` (it would also fail
 * responses whose examples break the document's own schema).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { inject } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
export const REST_DOCUMENT = join(ROOT, "openapi", "runpod-rest-v2.openapi.json");
const PRISM = join(ROOT, "node_modules", ".bin", "prism");

export interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface Exchange {
  method: string;
  path: string;
  status: number;
  violations: Violation[];
  headers: Headers;
}

export interface PrismMock {
  baseUrl: string;
  /** Every exchange `judgedFetch` saw, in order. */
  exchanges: Exchange[];
  /** A real fetch that records Prism's verdict on each exchange; `extra` headers are added. */
  judgedFetch(extra?: Record<string, string>): typeof globalThis.fetch;
  close(): Promise<void>;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The base URL of the run's Prism mock (`prism-setup.ts`). */
    prismUrl: string;
  }
}

/** Prism mocking the document in a child process of its own: `close` stops it. */
export function startPrism(): Promise<PrismMock> {
  return launch(["mock", "-h", "127.0.0.1", "-p", "0", REST_DOCUMENT]);
}

/**
 * The run's Prism mock, with exchanges of its own: starting one per test file cost each file
 * seconds of start-up (2.5 s CPU each). `close` leaves it running for the other files.
 */
export function sharedPrism(): PrismMock {
  return judge(inject("prismUrl"), async () => {});
}

/**
 * Prism as a proxy in front of `upstream` (a server that claims to implement the document, such
 * as the local platform's REST v2 view): each response is checked against the document and its
 * violations land in `sl-violations`. Requests are forwarded unchecked, so a server's own answer to
 * a request the document forbids (a 422 problem document) is judged too.
 */
export function startPrismProxy(upstream: string): Promise<PrismMock> {
  return launch([
    "proxy",
    "--validate-request",
    "false",
    ...["-h", "127.0.0.1", "-p", "0"],
    REST_DOCUMENT,
    upstream,
  ]);
}

/**
 * Starts Prism on a port the system picks and reads that port from its "listening" line: a port
 * found free first and given to Prism could be taken by another process before Prism bound it.
 */
async function launch(args: string[]): Promise<PrismMock> {
  const child: ChildProcess = spawn(PRISM, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening?.[1]) resolve(listening[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`prism exited (${code}) before listening:\n${output}`)),
    );
  });
  // Keep reading its log, so the pipe never fills and blocks it.
  child.stdout?.resume();
  child.stderr?.resume();
  return judge(
    baseUrl,
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  );
}

function judge(baseUrl: string, close: () => Promise<void>): PrismMock {
  const exchanges: Exchange[] = [];
  return {
    baseUrl,
    exchanges,
    judgedFetch:
      (extra = {}) =>
      async (input, init) => {
        const headers = new Headers(init?.headers);
        for (const [k, v] of Object.entries(extra)) headers.set(k, v);
        const res = await fetch(input, { ...init, headers });
        const raw = res.headers.get("sl-violations");
        const url = new URL(
          typeof input === "string" ? input : input instanceof URL ? input : input.url,
        );
        exchanges.push({
          method: init?.method ?? "GET",
          path: url.pathname + url.search,
          status: res.status,
          violations: raw ? (JSON.parse(raw) as Violation[]) : [],
          headers: res.headers,
        });
        return res;
      },
    close,
  };
}

/** The request violations in an `sl-violations` header, as Prism logs them. */
export function requestViolations(header: string | null): string[] {
  if (header === null) return [];
  // Past 8 KB, Prism cuts the JSON short behind "Too many violations!".
  if (!header.startsWith("[")) return [header];
  return (JSON.parse(header) as Violation[])
    .filter((v) => v.location[0] === "request")
    .map((v) => `Violation: ${v.location.join(".")} ${v.message}`);
}
