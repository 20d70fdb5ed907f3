/**
 * Stoplight Prism mocking the vendored REST v2 document: an independent judge of the contract (or
 * proxying a server that implements it, `startPrismProxy`).
 * It answers 422 (401 without a Bearer key) to any request that breaks the document, and reports
 * each violation in an `sl-violations` header, which `judgedFetch` records. Started once per test
 * file on a free loopback port, without `--errors` (it would also fail responses whose examples
 * break the document's own schema).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

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
  /** The request violations Prism has logged so far (for clients in other processes). */
  requestViolations(): string[];
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function startPrism(): Promise<PrismMock> {
  return launch((port) => ["mock", "-h", "127.0.0.1", "-p", String(port), REST_DOCUMENT]);
}

/**
 * Prism as a proxy in front of `upstream` (a server that claims to implement the document, such
 * as the local platform's REST v2 view): each response is checked against the document and its
 * violations land in `sl-violations`. Requests are forwarded unchecked, so a server's own answer to
 * a request the document forbids (a 422 problem document) is judged too.
 */
export function startPrismProxy(upstream: string): Promise<PrismMock> {
  return launch((port) => [
    "proxy",
    "--validate-request",
    "false",
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    REST_DOCUMENT,
    upstream,
  ]);
}

async function launch(args: (port: number) => string[]): Promise<PrismMock> {
  const port = await freePort();
  const child: ChildProcess = spawn(PRISM, args(port), {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`prism exited (${code}) before listening:\n${output}`)),
    );
  });
  // Keep reading its log (so the pipe never fills): it names each violation it finds.
  const log: string[] = [];
  const keep = (chunk: Buffer) => log.push(chunk.toString());
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const baseUrl = `http://127.0.0.1:${port}`;
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
    requestViolations: () =>
      log
        .join("")
        .split("\n")
        .filter((line) => line.includes("Violation: request")),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
