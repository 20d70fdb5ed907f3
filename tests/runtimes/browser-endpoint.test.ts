/**
 * The README promises that the endpoint client runs in browsers. Debian's Chromium imports the
 * built `runpod-ts/endpoint` ESM file (what the `browser` export condition resolves to) natively,
 * with no bundler, from a page of the same origin as a small stand-in for the public API, and runs
 * `run` + `output`, `stream`, `runSync` and `batches.list`. The file must load with its one chunk
 * and nothing else (no bare import, no Node built-in), and the batch client's chunk only on first
 * use; the key travels in the Authorization header only.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { relative, resolve } from "node:path";
import { afterAll, beforeAll, expect, it, onTestFailed } from "vitest";
import { useBrowser } from "../helpers/browser.js";

const dist = resolve(import.meta.dirname, "..", "..", "dist");
const KEY = "browser-test-key";

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

const browser = useBrowser();
const seen: Seen[] = [];
let server: Server;
let origin: string;

let streamed = false;

/** What the public API answers for the calls the page makes (spec: rest-v2.md, batch-jobs.md). */
function answer(path: string, body: string): unknown {
  switch (path) {
    case "/v2/ep/run":
      return { id: "job-1", status: "IN_QUEUE" };
    case "/v2/ep/status/job-1":
    case "/v2/ep/status-sync/job-1":
      return { id: "job-1", status: "COMPLETED", output: { done: 1 } };
    case "/v2/ep/stream/job-1": {
      // The platform hands each chunk out once; the client reads until a read brings none.
      const stream = streamed ? [] : [{ output: "a" }, { output: "b" }];
      streamed = true;
      return { status: "COMPLETED", stream };
    }
    case "/v2/ep/runsync":
      return { id: "job-2", status: "COMPLETED", output: { echo: JSON.parse(body).input } };
    case "/v2/ep/batch":
      return [{ id: "batch-1", status: "COMPLETED", requestTotal: 2 }];
    default:
      return undefined;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = "";
  for await (const chunk of req) body += chunk;
  const url = new URL(req.url ?? "/", origin);
  seen.push({
    method: req.method ?? "",
    url: req.url ?? "",
    authorization: req.headers.authorization,
    body,
  });
  if (url.pathname === "/") {
    res
      .writeHead(200, { "content-type": "text/html" })
      .end('<!doctype html><link rel="icon" href="data:,"><title>app</title>');
    return;
  }
  if (url.pathname.startsWith("/dist/")) {
    const file = resolve(dist, `.${url.pathname.slice("/dist".length)}`);
    const text = relative(dist, file).startsWith("..")
      ? undefined
      : await readFile(file).catch(() => undefined);
    if (text === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "text/javascript" }).end(text);
    return;
  }
  const value = answer(url.pathname, body);
  res
    .writeHead(value === undefined ? 404 : 200, { "content-type": "application/json" })
    .end(JSON.stringify(value ?? { error: "not found" }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const distFiles = () =>
  seen.filter((s) => s.url.startsWith("/dist/")).map((s) => s.url.slice("/dist/".length));

it("imports the built runpod-ts/endpoint in Chromium and calls the API from a page", async () => {
  const page = await browser.current.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => errors.push(`console: ${message.text()}`));
  // A hang reports no expectation: show what the page asked for and said.
  onTestFailed(() => {
    console.error(seen.map((s) => `${s.method} ${s.url}`).join("\n"), errors);
  });
  await page.goto(`${origin}/`);

  // Strings, not functions: vitest would rewrite `import()` inside a function it transformed.
  const result = await page.evaluate(`(async () => {
    const { Endpoint } = await import("/dist/endpoint/index.js");
    const ep = new Endpoint("ep", { apiKey: ${JSON.stringify(KEY)}, baseUrl: location.origin + "/v2" });
    const job = await ep.run({ n: 1 });
    const output = await job.output();
    const chunks = [];
    for await (const chunk of job.stream()) chunks.push(chunk);
    const sync = await ep.runSync({ n: 2 });
    return { id: job.id, output, chunks, sync };
  })()`);
  expect(errors).toEqual([]);
  expect(result).toEqual({
    id: "job-1",
    output: { done: 1 },
    chunks: ["a", "b"],
    sync: { echo: { n: 2 } },
  });
  // The entry and its one chunk: every other module is inside them, and no lazy part loaded yet.
  const upFront = distFiles();
  expect(upFront[0]).toBe("endpoint/index.js");
  expect(upFront).toHaveLength(2);
  expect(upFront[1]).toMatch(/^endpoint-core-[\w-]+\.js$/);

  const batches = await page.evaluate(`(async () => {
    const { Endpoint } = await import("/dist/endpoint/index.js");
    const ep = new Endpoint("ep", { apiKey: ${JSON.stringify(KEY)}, baseUrl: location.origin + "/v2" });
    return ep.batches.list();
  })()`);
  expect(batches).toEqual([{ id: "batch-1", status: "COMPLETED", requestTotal: 2 }]);
  // The batch client came in on first use, as one more chunk.
  expect(distFiles().slice(2)).toEqual([
    expect.stringMatching(/^endpoint-batch-client-[\w-]+\.js$/),
  ]);

  const calls = seen.filter((s) => s.url.startsWith("/v2/"));
  const paths = new Set(calls.map((c) => `${c.method} ${new URL(c.url, origin).pathname}`));
  for (const call of [
    "POST /v2/ep/run",
    "GET /v2/ep/stream/job-1",
    "POST /v2/ep/runsync",
    "GET /v2/ep/batch",
  ]) {
    expect(paths).toContain(call);
  }
  expect(JSON.parse(calls[0]?.body ?? "")).toEqual({ input: { n: 1 } });
  for (const call of calls) {
    expect(call.authorization).toBe(`Bearer ${KEY}`);
    expect(call.url).not.toContain(KEY);
  }
  await page.close();
});
