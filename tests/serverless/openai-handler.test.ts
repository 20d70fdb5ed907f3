/**
 * `openaiHandler` and `openaiProxy` in the production worker against a fake platform: what reaches
 * job-stream and job-done for each kind of route answer (the wire the platform relays), the
 * errors it reports, option checks, and the inlined OpenAI types against the `openai` package's.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type OpenAI from "openai";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type Completion,
  type EmbeddingResponse,
  type ModelList,
  OpenAIRouteError,
  type OpenAIRoutes,
  openaiHandler,
  openaiProxy,
  ValidationError,
} from "../../src/serverless/index.js";
import { FakePlatform } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

type Wire = { chunks: unknown[]; done: { output?: unknown; error?: string } };

/** Runs one job through `handler` and returns its job-stream outputs and its job-done body. */
async function wireOf(handler: ReturnType<typeof openaiHandler>, input: unknown): Promise<Wire> {
  const fake = await FakePlatform.start();
  try {
    const w = runWorker(fake, { handler });
    fake.enqueue({ id: "j1", input });
    await fake.waitFor((r) => r.route === "job-done");
    expect(await w.stop()).toBe(0);
    return {
      chunks: fake.of("job-stream").map((r) => (JSON.parse(r.body) as { output: unknown }).output),
      done: JSON.parse((fake.of("job-done")[0] as { body: string }).body),
    };
  } finally {
    await fake.close();
  }
}

const chatInput = (extra: object = {}) => ({
  openai_route: "/v1/chat/completions",
  openai_input: { model: "m", messages: [{ role: "user", content: "hi" }], ...extra },
});

const chunk = (content: string): ChatCompletionChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content } }],
});

describe("openaiHandler", () => {
  it("routes by openai_route and returns the object for a non-streaming request", async () => {
    const handler = openaiHandler({
      "/v1/models": (body) => ({
        object: "list",
        data: [{ id: `body:${JSON.stringify(body)}`, object: "model", created: 1, owned_by: "me" }],
      }),
    });
    // GET: no openai_input, or the empty object production may send; both are "no body".
    for (const input of [
      { openai_route: "/v1/models" },
      { openai_route: "/v1/models", openai_input: {} },
    ]) {
      const { chunks, done } = await wireOf(handler, input);
      expect(chunks).toEqual([]);
      expect(done).toEqual({
        output: {
          object: "list",
          data: [{ id: "body:undefined", object: "model", created: 1, owned_by: "me" }],
        },
      });
    }
  });

  it("frames chunk objects as SSE and ends the stream with [DONE]", async () => {
    const handler = openaiHandler({
      "/v1/chat/completions": async function* () {
        yield chunk("a");
        yield chunk("b");
      },
    });
    const { chunks, done } = await wireOf(handler, chatInput({ stream: true }));
    expect(chunks).toEqual([
      `data: ${JSON.stringify(chunk("a"))}\n\n`,
      `data: ${JSON.stringify(chunk("b"))}\n\n`,
      "data: [DONE]\n\n",
    ]);
    expect(done).toEqual({ output: [] });
  });

  it("gives typed events (Responses API, Anthropic Messages) their event: line", async () => {
    const delta = { type: "response.output_text.delta", delta: "Hi" };
    const handler = openaiHandler({ "/v1/responses": () => [delta].values() });
    const { chunks } = await wireOf(handler, {
      openai_route: "/v1/responses",
      openai_input: { model: "m", input: "x", stream: true },
    });
    expect(chunks).toEqual([
      `event: response.output_text.delta\ndata: ${JSON.stringify(delta)}\n\n`,
      "data: [DONE]\n\n",
    ]);
  });

  it("passes strings through unchanged and adds no second [DONE]", async () => {
    const upstream = ['data: {"x":', "1}\n\ndata: [DO", "NE]\n\n"];
    const handler = openaiHandler({ "/v1/chat/completions": () => upstream.values() });
    const { chunks } = await wireOf(handler, chatInput({ stream: true }));
    expect(chunks).toEqual(upstream);
  });

  it("an unknown route answers Invalid route with 404; a non-route input says what it needs", async () => {
    const handler = openaiHandler({ "/v1/models": () => ({ object: "list", data: [] }) });
    const unknown = await wireOf(handler, {
      openai_route: "/v1/embeddings",
      openai_input: { input: "x" },
    });
    expect(JSON.parse(unknown.done.error as string)).toEqual({
      message: "Invalid route /v1/embeddings: this worker serves /v1/models",
      type: "not_found_error",
      code: 404,
    });
    const bad = await wireOf(handler, { prompt: "x" });
    expect(JSON.parse(bad.done.error as string)).toMatchObject({
      message: expect.stringMatching(/^Job input must be \{"openai_route"/),
      code: 400,
    });
  });

  it("OpenAIRouteError answers its status before and during a stream; an {error} chunk fails too", async () => {
    const routes: OpenAIRoutes = {
      "/v1/chat/completions": (body) => {
        if (body.model === "before") throw new OpenAIRouteError(404, "no such model");
        return (async function* () {
          yield chunk("a");
          if (body.model === "during")
            throw new OpenAIRouteError(429, "slow down", "rate_limit_error");
          yield { error: { message: "as a chunk", type: "worker_error", code: 503 } };
        })();
      },
    };
    const handler = openaiHandler(routes);
    const results = [];
    for (const model of ["before", "during", "chunk"]) {
      const { done } = await wireOf(handler, chatInput({ model, stream: true }));
      results.push(JSON.parse(done.error as string));
    }
    expect(results).toEqual([
      { message: "no such model", type: "invalid_request_error", code: 404 },
      { message: "slow down", type: "rate_limit_error", code: 429 },
      { message: "as a chunk", type: "worker_error", code: 503 },
    ]);
  });

  it("a stream where none was asked for, and an object where a stream was, are handler errors", async () => {
    const handler = openaiHandler({
      "/v1/chat/completions": (body) =>
        body.stream
          ? ({ object: "chat.completion" } as unknown as ChatCompletion)
          : [chunk("x")].values(),
    });
    const plain = await wireOf(handler, chatInput());
    expect(plain.done.error).toMatch(/returned a stream for a request without \\"stream\\": true/);
    const streamed = await wireOf(handler, chatInput({ stream: true }));
    expect(streamed.done.error).toMatch(/got \\"stream\\": true but returned an object/);
  });

  it("checks its routes once, when built", () => {
    expect(() => openaiHandler({ "/v1/models": "nope" } as never)).toThrow(ValidationError);
    expect(() => openaiHandler({ "chat/completions": () => ({}) } as never)).toThrow(
      /starting with "\/v1\/"/,
    );
    expect(() => new OpenAIRouteError(200, "x")).toThrow(RangeError);
  });
});

describe("openaiProxy", () => {
  it("checks its options once, when built", () => {
    expect(() => openaiProxy({ baseUrl: "not a url" })).toThrow(/baseUrl: must be a valid url/);
    expect(() => openaiProxy({ baseUrl: "http://127.0.0.1:1", extra: 1 } as never)).toThrow(
      /unknown option "extra"/,
    );
  });

  it("an unreachable upstream fails the job with a 502 that names it", async () => {
    // A port that was just free: nothing listens there.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const port = (server.address() as AddressInfo).port;
    await new Promise((done) => server.close(done));
    const { done } = await wireOf(
      openaiProxy({ baseUrl: `http://127.0.0.1:${port}` }),
      chatInput(),
    );
    expect(JSON.parse(done.error as string)).toMatchObject({
      message: expect.stringContaining(
        `upstream server http://127.0.0.1:${port}/v1/chat/completions cannot be reached`,
      ),
      type: "upstream_error",
      code: 502,
    });
  });

  it("sends the configured headers, and a body only when the job has one", async () => {
    const seen: Array<{ method?: string; auth?: string; type?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({
        method: req.method,
        auth: req.headers.authorization,
        type: req.headers["content-type"],
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"object":"list","data":[]}');
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const port = (server.address() as AddressInfo).port;
    const handler = openaiProxy({
      baseUrl: `http://127.0.0.1:${port}/`,
      headers: { authorization: "Bearer upstream" },
    });
    const { done } = await wireOf(handler, { openai_route: "/v1/models" });
    await new Promise((resolve) => server.close(resolve));
    expect(done).toEqual({ output: { object: "list", data: [] } });
    expect(seen).toEqual([{ method: "GET", auth: "Bearer upstream", type: undefined }]);
  });
});

describe("the inlined OpenAI types", () => {
  it("accept the openai package's response objects", () => {
    expectTypeOf<OpenAI.ChatCompletion>().toExtend<ChatCompletion>();
    expectTypeOf<OpenAI.ChatCompletionChunk>().toExtend<ChatCompletionChunk>();
    expectTypeOf<OpenAI.Completion>().toExtend<Completion>();
    expectTypeOf<OpenAI.CreateEmbeddingResponse>().toExtend<EmbeddingResponse>();
    expectTypeOf<{ object: "list"; data: OpenAI.Model[] }>().toExtend<ModelList>();
  });

  it("type each known route's body", () => {
    openaiHandler({
      "/v1/chat/completions": (body) => {
        expectTypeOf(body.messages[0]?.role).toEqualTypeOf<string | undefined>();
        expectTypeOf(body.stream).toEqualTypeOf<boolean | null | undefined>();
        return { error: { message: "x", type: "t", code: null } };
      },
      "/v1/responses": (body) => {
        expectTypeOf(body).toEqualTypeOf<{ [key: string]: unknown } | undefined>();
        return {};
      },
    });
  });
});
