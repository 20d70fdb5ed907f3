/**
 * The local platform's `/openai/v1/*` route (spec openai-route.md §8) against a protocol-level
 * worker: the job each request becomes, the JSON and event-stream answers, the error objects and
 * their statuses, the wait limit, and what a client that hangs up does to its job.
 */
import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/core/logger.js";
import type { LocalPlatform } from "../../src/local/index.js";
import { jobReaches, nextEvent, startPlatform, workerFor } from "../helpers/local-platform.js";
import type { TakenJob } from "../helpers/protocol-worker.js";
import { untilAborted } from "../helpers/protocol-worker.js";

const KEY = "route-key";
const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };

function openai(platform: LocalPlatform, route: string, body?: unknown, init: RequestInit = {}) {
  return fetch(`${platform.endpointUrl}/openai/v1/${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: auth,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    ...init,
  });
}

const chat = (extra: object = {}) => ({
  model: "m",
  messages: [{ role: "user", content: "Hi" }],
  ...extra,
});

/** The next job a worker takes (entering IN_PROGRESS). */
const started = (platform: LocalPlatform) =>
  nextEvent(platform, (e) => e.type === "job" && e.job.status === "IN_PROGRESS");

/** Reads a streamed body chunk by chunk as text. */
function textReader(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  return {
    async next(): Promise<string | undefined> {
      const { done, value } = await reader.read();
      return done ? undefined : decoder.decode(value, { stream: true });
    },
    async rest(): Promise<string> {
      let text = "";
      for (let t = await this.next(); t !== undefined; t = await this.next()) text += t;
      return text;
    },
    cancel: () => reader.cancel(),
  };
}

describe("/openai/v1/* builds ordinary jobs", () => {
  it("chat, completions and models: exactly the spec's job inputs, visible in /status and /health", async () => {
    const platform = await startPlatform({ apiKey: KEY });
    const seen: TakenJob[] = [];
    workerFor(platform).start(async (job) => {
      seen.push(job);
      return { output: { ok: job.input } };
    });
    expect((await openai(platform, "chat/completions", chat())).status).toBe(200);
    expect((await openai(platform, "completions", { model: "m", prompt: "p" })).status).toBe(200);
    const models = await openai(platform, "models");
    expect(models.status).toBe(200);
    // A POST without a body is treated as the GET it stands for.
    expect((await openai(platform, "models", undefined, { method: "POST" })).status).toBe(200);
    expect(seen.map((j) => j.input)).toEqual([
      { openai_route: "/v1/chat/completions", openai_input: chat() },
      { openai_route: "/v1/completions", openai_input: { model: "m", prompt: "p" } },
      { openai_route: "/v1/models" },
      { openai_route: "/v1/models" },
    ]);
    const id = models.headers.get("x-request-id") as string;
    expect(id).toBe(seen[2]?.id);
    const status = await fetch(`${platform.endpointUrl}/status/${id}`, { headers: auth });
    expect(await status.json()).toMatchObject({
      id,
      status: "COMPLETED",
      output: { ok: { openai_route: "/v1/models" } },
    });
    expect(platform.health().jobs.completed).toBe(4);
  });

  it("any route, nested paths included, is passed on; the query string is not", async () => {
    const platform = await startPlatform();
    const seen: unknown[] = [];
    workerFor(platform).start(async (job) => {
      seen.push(job.input);
      return { output: {} };
    });
    await openai(platform, "responses?x=1", { model: "m", input: "hi" });
    await openai(platform, "files/abc/content");
    expect(seen).toEqual([
      { openai_route: "/v1/responses", openai_input: { model: "m", input: "hi" } },
      { openai_route: "/v1/files/abc/content" },
    ]);
  });
});

describe("request errors are OpenAI error objects, before any job exists", () => {
  it("invalid JSON, a non-object body, a wrong key, an unknown endpoint, a path outside /v1, another method, another site", async () => {
    const platform = await startPlatform({ apiKey: KEY });
    const cases: Array<[Response, number, string, RegExp]> = [
      [
        await openai(platform, "chat/completions", "{nope"),
        400,
        "invalid_request_error",
        /not valid JSON/,
      ],
      [
        await openai(platform, "chat/completions", "[1]"),
        400,
        "invalid_request_error",
        /JSON object/,
      ],
      [
        await openai(platform, "models", undefined, { headers: { authorization: "Bearer wrong" } }),
        401,
        "authentication_error",
        /invalid API key/,
      ],
      [
        await fetch(`${platform.url}/v2/other/openai/v1/models`, { headers: auth }),
        404,
        "not_found_error",
        /unknown endpoint other/,
      ],
      [
        await fetch(`${platform.endpointUrl}/openai/v2/models`, { headers: auth }),
        404,
        "not_found_error",
        /under \/openai\/v1\//,
      ],
      [
        await openai(platform, "models", undefined, { method: "DELETE" }),
        405,
        "invalid_request_error",
        /not allowed/,
      ],
      [
        await openai(platform, "models", undefined, {
          headers: { ...auth, origin: "https://evil.example" },
        }),
        403,
        "permission_error",
        /cross-site request refused/,
      ],
    ];
    for (const [res, status, type, message] of cases) {
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { message: string; type: string } };
      expect(body.error.type).toBe(type);
      expect(body.error.message).toMatch(message);
    }
    expect(platform.jobs()).toEqual([]);
  });
});

describe("non-streaming answers", () => {
  const completion = { id: "chatcmpl-1", object: "chat.completion", choices: [] };

  it("an object output, a one-element list (aggregate on) and a lone yield (aggregate off) answer alike", async () => {
    const platform = await startPlatform();
    const worker = workerFor(platform);
    const shapes = [
      async () => ({ output: completion }),
      async () => ({ output: [completion] }),
      async (stream: (o: unknown) => Promise<void>) => {
        await stream(completion);
        return { output: [] };
      },
    ];
    let next = 0;
    worker.start(async (_job, ctx) => (shapes[next++] as (typeof shapes)[2])(ctx.stream));
    for (let i = 0; i < shapes.length; i++) {
      const res = await openai(platform, "chat/completions", chat());
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual(completion);
    }
  });

  it("a completed job without output is a 502", async () => {
    const platform = await startPlatform();
    workerFor(platform).start(async () => ({}));
    const res = await openai(platform, "chat/completions", chat());
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { type: "worker_error" } });
  });
});

describe("failed jobs", () => {
  it("a worker error is a 500; an OpenAI error object keeps its message, type and HTTP status", async () => {
    const platform = await startPlatform();
    const errors = [
      "something broke",
      JSON.stringify({ error_type: "TypeError", error_message: "bad prompt", error_traceback: "" }),
      JSON.stringify({ message: "The model x does not exist", type: "NotFoundError", code: 404 }),
      // worker-vllm's wording, as runpod-python stringifies its error dict (§5).
      "{'message': 'vLLM returned HTTP 400: too long', 'type': 'worker_error', 'code': None}",
    ];
    let next = 0;
    workerFor(platform).start(async () => ({ error: errors[next++] }));
    const answers = [];
    for (let i = 0; i < errors.length; i++) {
      const res = await openai(platform, "chat/completions", chat());
      answers.push({ status: res.status, body: await res.json() });
    }
    expect(answers).toEqual([
      {
        status: 500,
        body: { error: { message: "something broke", type: "worker_error", code: null } },
      },
      {
        status: 500,
        body: { error: { message: "TypeError: bad prompt", type: "worker_error", code: null } },
      },
      {
        status: 404,
        body: {
          error: { message: "The model x does not exist", type: "NotFoundError", code: 404 },
        },
      },
      { status: 400, body: { error: { message: errors[3], type: "worker_error", code: null } } },
    ]);
  });

  it("a job cancelled through /cancel is a 409 the client must not retry; a timed-out job a 504", async () => {
    const platform = await startPlatform({ executionTimeoutMs: 200 });
    workerFor(platform).start(async (_job, ctx) => untilAborted(ctx.signal));
    const running = started(platform);
    const held = openai(platform, "chat/completions", chat());
    const { job } = (await running) as { job: { id: string } };
    const cancelled = await fetch(`${platform.endpointUrl}/cancel/${job.id}`, { method: "POST" });
    expect(cancelled.status).toBe(200);
    const res = await held;
    expect(res.status).toBe(409);
    expect(res.headers.get("x-should-retry")).toBe("false");
    expect(await res.json()).toMatchObject({ error: { type: "job_cancelled" } });

    const timedOut = await openai(platform, "chat/completions", chat());
    expect(timedOut.status).toBe(504);
    expect(await timedOut.json()).toMatchObject({
      error: { type: "timeout_error", message: expect.stringMatching(/execution timeout/) },
    });
  });
});

describe("streaming answers", () => {
  const events = [
    'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel',
    'lo"}}]}\n\n',
    "data: [DONE]\n\n",
  ];

  it("writes each chunk verbatim as it arrives, split events included, and adds nothing", async () => {
    const platform = await startPlatform();
    const worker = workerFor(platform);
    const queued = nextEvent(platform, (e) => e.type === "job" && e.job.status === "IN_QUEUE");
    const res = openai(platform, "chat/completions", chat({ stream: true }));
    await queued;
    const job = (await worker.take()) as TakenJob;
    await worker.streamChunk(job.id, events[0]);
    const answer = await res;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/event-stream");
    expect(answer.headers.get("cache-control")).toBe("no-cache");
    expect(answer.headers.get("x-request-id")).toBe(job.id);
    const reader = textReader(answer);
    // The first chunk is readable before the worker sends the second: nothing is held back.
    expect(await reader.next()).toBe(events[0]);
    await worker.streamChunk(job.id, events[1]);
    expect(await reader.next()).toBe(events[1]);
    await worker.streamChunk(job.id, events[2]);
    await worker.done(job.id, { output: events }, true);
    expect(await reader.rest()).toBe(events[2]);
    // An ordinary job on the dashboard too, its chunks in the job view.
    const details = await fetch(`${platform.url}/_dashboard/api/jobs/${job.id}`).then((r) =>
      r.json(),
    );
    expect(details.job).toMatchObject({
      status: "COMPLETED",
      input: { openai_route: "/v1/chat/completions" },
    });
    expect(details.history.chunks.map((c: { output: string }) => c.output)).toEqual(events);
  });

  it("frames non-string chunks as data: <json> and warns that Runpod wants raw SSE text", async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message: string) => warnings.push(message),
      error: () => {},
    };
    const platform = await startPlatform({ logger });
    workerFor(platform).start(async (_job, ctx) => {
      await ctx.stream({ n: 1 });
      await ctx.stream({ n: 2 });
      return { output: [] };
    });
    const res = await openai(platform, "chat/completions", chat({ stream: true }));
    expect(await res.text()).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not a string.*raw SSE/);
  });

  it("a handler that returned its whole answer instead of streaming: the output is the stream", async () => {
    const platform = await startPlatform();
    workerFor(platform).start(async () => ({ output: events }));
    const res = await openai(platform, "chat/completions", chat({ stream: true }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(await res.text()).toBe(events.join(""));
  });

  it("a failure before the first chunk is an error status; after it, one error event ends the stream", async () => {
    const platform = await startPlatform();
    let next = 0;
    workerFor(platform).start(async (_job, ctx) => {
      if (next++ === 0) return { error: "no GPU" };
      await ctx.stream(events[0]);
      return { error: "lost the GPU" };
    });
    const early = await openai(platform, "chat/completions", chat({ stream: true }));
    expect(early.status).toBe(500);
    expect(await early.json()).toMatchObject({ error: { message: "no GPU" } });
    const late = await openai(platform, "chat/completions", chat({ stream: true }));
    expect(late.status).toBe(200);
    expect(await late.text()).toBe(
      `${events[0]}data: {"error":{"message":"lost the GPU","type":"worker_error","code":null}}\n\n`,
    );
  });
});

describe("waiting and hanging up", () => {
  it("no answer within openaiWaitMs is a 504; the job keeps running", async () => {
    const platform = await startPlatform({ openaiWaitMs: 100 });
    for (const body of [chat(), chat({ stream: true })]) {
      const res = await openai(platform, "chat/completions", body);
      expect(res.status).toBe(504);
      const id = res.headers.get("x-request-id") as string;
      expect(await res.json()).toMatchObject({
        error: { type: "timeout_error", message: expect.stringContaining(`/status/${id}`) },
      });
      expect(platform.jobs().find((j) => j.id === id)?.status).toBe("IN_QUEUE");
    }
  });

  it("a client that hangs up mid-stream cancels the job, and the worker is told to stop", async () => {
    const platform = await startPlatform();
    let stop: (id: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    workerFor(platform).start(async (job, ctx) => {
      await ctx.stream("data: {}\n\n");
      await untilAborted(ctx.signal).catch(() => stop(job.id));
      return {};
    });
    const controller = new AbortController();
    const res = await openai(platform, "chat/completions", chat({ stream: true }), {
      signal: controller.signal,
    });
    const id = res.headers.get("x-request-id") as string;
    expect(await textReader(res).next()).toBe("data: {}\n\n");
    const cancelled = jobReaches(platform, id, "CANCELLED");
    controller.abort();
    await cancelled;
    expect(await stopped).toBe(id);
  });

  it("a client that hangs up while waiting for a JSON answer cancels the job too", async () => {
    const platform = await startPlatform();
    workerFor(platform).start(async (_job, ctx) => untilAborted(ctx.signal));
    const running = started(platform);
    const controller = new AbortController();
    const res = openai(platform, "chat/completions", chat(), { signal: controller.signal });
    const { job } = (await running) as { job: { id: string } };
    const cancelled = jobReaches(platform, job.id, "CANCELLED");
    controller.abort();
    await expect(res).rejects.toThrow();
    await cancelled;
  });

  it("closing the platform ends open streams and waiting requests", async () => {
    const platform = await startPlatform();
    const worker = workerFor(platform);
    worker.start(async (_job, ctx) => {
      await ctx.stream("data: {}\n\n");
      return untilAborted(ctx.signal);
    });
    const streaming = await openai(platform, "chat/completions", chat({ stream: true }));
    const waiting = openai(platform, "models");
    await nextEvent(
      platform,
      (e) => e.type === "job" && e.job.input !== undefined && e.job.status === "IN_QUEUE",
    );
    // The worker goes first (its job stays IN_PROGRESS), so it does not poll a closed server.
    await worker.stop();
    await platform.close();
    expect(await streaming.text()).toBe(
      'data: {}\n\ndata: {"error":{"message":"the local platform is shutting down; the job did not finish","type":"server_error","code":null}}\n\n',
    );
    const answer = await waiting;
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: { type: "server_error" } });
  });
});
