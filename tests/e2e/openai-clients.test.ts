/**
 * The OpenAI-compatible route end to end with clients we did not write: the official `openai`
 * package and the Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`), against the local platform
 * and a worker process built with `openaiHandler`; and a worker built with `openaiProxy` that relays
 * a real upstream OpenAI-compatible server's SSE unchanged.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Endpoint } from "../../src/endpoint/index.js";
import { createLocalPlatform, type LocalPlatform } from "../../src/local/index.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

const API_KEY = "openai-e2e-key";
const WORKER = resolve(import.meta.dirname, "fixtures/openai-worker.ts");
const PROXY_WORKER = resolve(import.meta.dirname, "fixtures/openai-proxy-worker.ts");

function clientFor(platform: LocalPlatform): OpenAI {
  const ep = new Endpoint(platform.endpointId, { baseUrl: `${platform.url}/v2`, apiKey: API_KEY });
  return new OpenAI({ baseURL: ep.openaiBaseUrl, apiKey: API_KEY, maxRetries: 0 });
}

describe("Endpoint.openaiBaseUrl", () => {
  it("is the endpoint's /openai/v1, whatever the base URL's trailing slashes", () => {
    const ep = new Endpoint("abc123", { baseUrl: "https://api.runpod.ai/v2/", apiKey: "k" });
    expect(ep.openaiBaseUrl).toBe("https://api.runpod.ai/v2/abc123/openai/v1");
  });
});

const jobIdOf = (platform: LocalPlatform, status: string) =>
  new Promise<string>((done) => {
    const stop = platform.subscribe((e) => {
      if (e.type === "job" && e.job.status === status) {
        stop();
        done(e.job.id);
      }
    });
  });

describe("openai and the AI SDK against a worker built with openaiHandler", () => {
  let platform: LocalPlatform;
  let worker: WorkerProcess;
  let openai: OpenAI;

  beforeAll(async () => {
    platform = await createLocalPlatform({ port: 0, apiKey: API_KEY, longPollMs: 2_000 });
    worker = spawnWorker(WORKER, platform.workerEnv("openai-worker"));
    openai = clientFor(platform);
  });
  afterAll(async () => {
    worker.kill();
    await platform.close();
  });

  it("openai: models.list", async () => {
    const models = [];
    for await (const model of openai.models.list()) models.push(model.id);
    expect(models).toEqual(["echo"]);
  });

  it("openai: a chat completion, with the job id as its request id", async () => {
    const completion = await openai.chat.completions.create({
      model: "echo",
      messages: [{ role: "user", content: "say hello world" }],
    });
    expect(completion.choices[0]?.message.content).toBe("say hello world");
    expect(completion.usage?.total_tokens).toBe(6);
    expect(completion._request_id).toMatch(/-u1$/);
    // An ordinary job: /status shows it, with the route input.
    const status = await fetch(`${platform.endpointUrl}/status/${completion._request_id}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    }).then((r) => r.json());
    expect(status).toMatchObject({ status: "COMPLETED", output: { id: completion.id } });
    const job = platform.jobs().find((j) => j.id === completion._request_id);
    expect(job?.input).toEqual({
      openai_route: "/v1/chat/completions",
      openai_input: { model: "echo", messages: [{ role: "user", content: "say hello world" }] },
    });
  });

  it("openai: a streamed chat completion ends normally, token by token", async () => {
    const stream = await openai.chat.completions.create({
      model: "echo",
      messages: [{ role: "user", content: "one two three" }],
      stream: true,
    });
    const deltas: string[] = [];
    const finishes: Array<string | null> = [];
    for await (const chunk of stream) {
      deltas.push(chunk.choices[0]?.delta.content ?? "");
      finishes.push(chunk.choices[0]?.finish_reason ?? null);
    }
    expect(deltas).toEqual(["", "one", " two", " three", ""]);
    expect(finishes.at(-1)).toBe("stop");
  });

  it("openai: completions, streamed and not", async () => {
    const completion = await openai.completions.create({ model: "echo", prompt: "a b c" });
    expect(completion.choices[0]?.text).toBe("c b a");
    const stream = await openai.completions.create({
      model: "echo",
      prompt: "a b c",
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe("c b a");
  });

  it("openai: a streamed Responses API call reads the typed events", async () => {
    const stream = await openai.responses.create({ model: "echo", input: "x", stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([
      { type: "response.output_text.delta", delta: "Hel", input: "x" },
      { type: "response.output_text.delta", delta: "lo", input: "x" },
    ]);
  });

  it("openai: an OpenAIRouteError is an APIError with its status and message", async () => {
    const call = openai.chat.completions.create({
      model: "missing",
      messages: [{ role: "user", content: "x" }],
    });
    await expect(call).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(call).rejects.toMatchObject({
      status: 404,
      error: { message: "The model missing does not exist", type: "invalid_request_error" },
    });
    // Streaming requests too: the job fails before its first chunk, so the status is still free.
    const streamed = openai.chat.completions.create({
      model: "missing",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    await expect(streamed).rejects.toMatchObject({ status: 404 });
  });

  it("openai: a route the worker does not serve is a 404 Invalid route", async () => {
    const call = openai.embeddings.create({ model: "echo", input: "x" });
    await expect(call).rejects.toMatchObject({
      status: 404,
      error: { message: expect.stringMatching(/^Invalid route \/v1\/embeddings/) },
    });
  });

  it("openai: a wrong key is a 401 AuthenticationError", async () => {
    const bad = new OpenAI({
      baseURL: `${platform.endpointUrl}/openai/v1`,
      apiKey: "wrong",
      maxRetries: 0,
    });
    const call = bad.models.list();
    await expect(call).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(call).rejects.toMatchObject({ error: { type: "authentication_error" } });
  });

  it("openai: aborting a stream cancels its job, and the handler sees the stop", async () => {
    const running = jobIdOf(platform, "IN_PROGRESS");
    const stream = await openai.chat.completions.create({
      model: "hold",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    const id = await running;
    const seen: string[] = [];
    // Leaving the loop aborts the openai client's request: the connection closes mid-stream.
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta.content ?? "");
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["", "held"]);
    await worker.waitForLine(new RegExp(`\\| ${id} \\| aborted: stopped$`));
    expect(platform.jobs().find((j) => j.id === id)?.status).toBe("CANCELLED");
  });

  it("AI SDK: generateText and streamText", async () => {
    const provider = createOpenAICompatible({
      name: "runpod",
      baseURL: `${platform.endpointUrl}/openai/v1`,
      apiKey: API_KEY,
    });
    const generated = await generateText({
      model: provider("echo"),
      prompt: "hello from the AI SDK",
      maxRetries: 0,
    });
    expect(generated.text).toBe("hello from the AI SDK");
    expect(generated.finishReason).toBe("stop");

    const streamed = streamText({
      model: provider("echo"),
      prompt: "streamed words here",
      maxRetries: 0,
    });
    const parts: string[] = [];
    for await (const part of streamed.textStream) parts.push(part);
    expect(parts.join("")).toBe("streamed words here");
    expect(parts.length).toBeGreaterThan(1);
    expect(await streamed.finishReason).toBe("stop");
  });
});

/** An OpenAI-compatible server (vLLM's role) that records requests and answers in fixed bytes. */
function startUpstream() {
  const requests: Array<{ method: string; url: string; body: string }> = [];
  // A "slow" generation writes one event and holds; this settles when its request is closed.
  let slowClosed: () => void = () => {};
  const slowEnded = new Promise<void>((resolve) => {
    slowClosed = resolve;
  });
  // Raw SSE, deliberately cut mid-event across writes: the relay must not re-frame it.
  const sse = [
    'data: {"id":"up","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel',
    'lo"},"finish_reason":null}]}\n\ndata: {"id":"up","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}]}\n\n',
    "data: [DONE]\n\n",
  ];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", body });
      if (req.url === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          '{"object":"list","data":[{"id":"up","object":"model","created":1,"owned_by":"vllm"}]}',
        );
        return;
      }
      const parsed = JSON.parse(body) as { model: string; stream?: boolean };
      if (parsed.model === "slow") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(sse[0]?.replace("Hel", "Hello"));
        res.write('"},"finish_reason":null}]}\n\n');
        res.on("close", slowClosed);
        return;
      }
      if (parsed.model !== "up") {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          '{"error":{"message":"The model `nope` does not exist.","type":"NotFoundError","code":400}}',
        );
        return;
      }
      if (!parsed.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          '{"id":"up","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}]}',
        );
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      // Each write waits for the previous one to be flushed, so they arrive as separate reads.
      const write = (i: number) => {
        if (i === sse.length) return res.end();
        res.write(sse[i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });
  });
  return { server, requests, sse, slowEnded };
}

describe("a worker built with openaiProxy relays an upstream server unchanged", () => {
  let platform: LocalPlatform;
  let worker: WorkerProcess;
  let upstream: ReturnType<typeof startUpstream>;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = startUpstream();
    await new Promise<void>((done) => upstream.server.listen(0, "127.0.0.1", done));
    const port = (upstream.server.address() as AddressInfo).port;
    platform = await createLocalPlatform({ port: 0, apiKey: API_KEY, longPollMs: 2_000 });
    worker = spawnWorker(PROXY_WORKER, {
      ...platform.workerEnv("proxy-worker"),
      UPSTREAM_URL: `http://127.0.0.1:${port}`,
    });
    openai = clientFor(platform);
  });
  afterAll(async () => {
    worker.kill();
    await platform.close();
    await new Promise((done) => upstream.server.close(done));
  });

  it("streams the upstream's exact bytes", async () => {
    const res = await fetch(`${platform.endpointUrl}/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "up",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(await res.text()).toBe(upstream.sse.join(""));
    expect(upstream.requests.at(-1)).toMatchObject({ method: "POST", url: "/v1/chat/completions" });
  });

  it("openai reads the relayed stream, the JSON answer and the model list", async () => {
    const stream = await openai.chat.completions.create({
      model: "up",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello there");
    const completion = await openai.chat.completions.create({
      model: "up",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Hello there");
    const models = [];
    for await (const model of openai.models.list()) models.push(model.id);
    expect(models).toEqual(["up"]);
    // A GET stays a GET upstream.
    expect(upstream.requests.at(-1)).toMatchObject({ method: "GET", url: "/v1/models", body: "" });
  });

  it("an upstream error answer becomes the client's error, status and message", async () => {
    const call = openai.chat.completions.create({
      model: "nope",
      messages: [{ role: "user", content: "hi" }],
    });
    await expect(call).rejects.toMatchObject({
      status: 400,
      error: { message: "The model `nope` does not exist.", type: "NotFoundError" },
    });
  });

  it("a client that stops reading cancels the job, and the upstream generation is closed too", async () => {
    const stream = await openai.chat.completions.create({
      model: "slow",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.content).toBe("Hello");
      break;
    }
    await upstream.slowEnded;
  });

  it("AI SDK streamText through the proxy", async () => {
    const provider = createOpenAICompatible({
      name: "runpod",
      baseURL: `${platform.endpointUrl}/openai/v1`,
      apiKey: API_KEY,
    });
    const streamed = streamText({ model: provider("up"), prompt: "hi", maxRetries: 0 });
    let text = "";
    for await (const part of streamed.textStream) text += part;
    expect(text).toBe("Hello there");
  });
});
