/**
 * A pass-through proxy on 127.0.0.1 (ephemeral port) that records each request before forwarding
 * it to `target` (Prism), so a test of the CLI, which runs in another process, can assert exactly
 * what it sent while Prism still judges every request against the OpenAPI document. Prism's
 * verdicts are read from its answers, so a Prism shared with other test files judges only these.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { requestViolations } from "./prism.js";
import type { RecordedRequest } from "./scripted-server.js";

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`: give it to the CLI as RUNPOD_API_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** The request violations Prism found in the requests forwarded so far, as it logs them. */
  violations: string[];
  close(): Promise<void>;
}

/** Hop-by-hop or recomputed headers that must not be copied between the two connections. */
const SKIP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const text = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        text,
        body: text === "" ? undefined : JSON.parse(text),
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (!SKIP.has(k) && typeof v === "string") headers.set(k, v);
      }
      try {
        const answer = await fetch(`${target}${req.url}`, {
          method: req.method ?? "GET",
          headers,
          ...(text === "" ? {} : { body: text }),
        });
        violations.push(...requestViolations(answer.headers.get("sl-violations")));
        const body = Buffer.from(await answer.arrayBuffer());
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          // fetch has already decoded the body, so its encoding headers no longer apply.
          if (!SKIP.has(k) && k !== "content-encoding") out[k] = v;
        });
        res.writeHead(answer.status, out).end(body);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    violations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
