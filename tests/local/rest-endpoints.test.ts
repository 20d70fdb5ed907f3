/**
 * The local platform's REST v2 view (`/v2/serverless`) through our own `RunpodApi`, with Stoplight
 * Prism proxying in front as an independent judge: every answer must satisfy the vendored OpenAPI
 * document. Load-balancing endpoints report URLs of their local balancer, created ones run the
 * configured worker command, and `WorkerStatus` follows health and load.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunpodApi } from "../../src/api/client.js";
import type { CreateEndpointRequest } from "../../src/api/types.js";
import { BadRequestError, NotFoundError } from "../../src/core/api-errors.js";
import { ValidationError } from "../../src/core/errors.js";
import { createLocalPlatform, type LocalPlatform } from "../../src/local/index.js";
import { direct, HTTP_WORKER, readyWorkers, workersWhen } from "../helpers/load-balancer.js";
import { startPlatform } from "../helpers/local-platform.js";
import { type PrismMock, startPrismProxy, type Violation } from "../helpers/prism.js";

const KEY = "rest-view-key";
let platform: LocalPlatform;
let prism: PrismMock;
let api: RunpodApi;

beforeAll(async () => {
  platform = await createLocalPlatform({
    port: 0,
    dashboard: false,
    apiKey: KEY,
    loadBalancer: {
      command: [process.execPath, HTTP_WORKER],
      healthIntervalMs: 20,
      stopGraceMs: 5_000,
      output: () => {},
      workers: { min: 1, max: 1, idleTimeoutMs: 60_000 },
    },
  });
  prism = await startPrismProxy(platform.url);
  api = new RunpodApi({
    apiKey: KEY,
    baseUrl: prism.baseUrl,
    fetch: prism.judgedFetch(),
    maxRetries: 0,
  });
}, 60_000);
afterAll(async () => {
  await prism?.close();
  await platform?.close();
});

/** The queue endpoint's job URLs, which carry production's literal `{job_id}`. */
const JOB_URLS = ["status", "stream", "cancel", "retry"];
/** The load-balancing variant's complaint about a queue endpoint's own URLs. */
const QUEUE_URL_FOUND = /found '(run|runSync|status|stream|cancel|retry|purgeQueue)'$/;

/**
 * Prism's verdict on the literal `{job_id}` in a queue endpoint's `requestUrls`, and nothing else
 * there: production answers it (the document's own examples), and the schema's `format: uri` is an
 * annotation in OpenAPI 3.1, but Prism asserts formats. So the queue variant fails on exactly the
 * four job URLs' format, and with it the `oneOf` (the load-balancing variant never matches a queue
 * endpoint's URLs). Those are left out; any other violation, there or anywhere, stays.
 */
function withoutPlaceholderVerdict(violations: Violation[]): Violation[] {
  const at = (v: Violation) => v.location.join(".");
  const groups = new Map<string, Violation[]>();
  for (const v of violations) {
    const i = v.location.lastIndexOf("requestUrls");
    if (i === -1) continue;
    const key = v.location.slice(0, i + 1).join(".");
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const tolerated = new Set<Violation>();
  for (const [key, group] of groups) {
    const format = group.filter((v) => v.code === "format" && at(v) !== key);
    const jobUrls = format.map((v) => v.location.at(-1)).sort();
    if (jobUrls.join() !== [...JOB_URLS].sort().join()) continue;
    const otherVariant = (v: Violation) =>
      at(v) === key &&
      (v.code === "oneOf" ||
        (v.code === "additionalProperties" && QUEUE_URL_FOUND.test(v.message)) ||
        (v.code === "required" && /'(base|health)'/.test(v.message)));
    if (!group.every((v) => format.includes(v) || otherVariant(v))) continue;
    for (const v of group) tolerated.add(v);
  }
  return violations.filter((v) => !tolerated.has(v));
}

/** Runs `call`; every exchange it made must have an answer the document allows. */
async function judged<T>(call: () => Promise<T>): Promise<T> {
  const before = prism.exchanges.length;
  try {
    return await call();
  } finally {
    const exchanges = prism.exchanges.slice(before);
    expect(exchanges.length).toBeGreaterThan(0);
    for (const e of exchanges) {
      expect(withoutPlaceholderVerdict(e.violations), `${e.method} ${e.path}`).toEqual([]);
    }
  }
}

/** A raw exchange through Prism: its status and body, once Prism found nothing wrong with the answer. */
async function problemOf(
  init: RequestInit & { authorized?: boolean },
): Promise<{ status: number; body: unknown }> {
  const { authorized = true, ...rest } = init;
  const send = prism.judgedFetch(authorized ? { authorization: `Bearer ${KEY}` } : {});
  const res = await send(`${prism.baseUrl}/v2/serverless`, rest);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const response = prism.exchanges.at(-1)?.violations.filter((v) => v.location[0] === "response");
  expect(response).toEqual([]);
  return { status: res.status, body: await res.json() };
}

const lbBody = (extra: Partial<CreateEndpointRequest> = {}): CreateEndpointRequest => ({
  name: "my-lb",
  type: "LOAD_BALANCER",
  image: "me/lb-worker:1.0",
  cpu: [{ id: "cpu5c", vcpuCount: 2 }],
  scaling: { type: "REQUEST_COUNT", requestCount: 1 },
  ...extra,
});

describe("REST v2 view: list and get", () => {
  it("lists the queue endpoint and the load balancer's, whose requestUrls are the local balancer's", async () => {
    const endpoints = await judged(() => api.endpoints.list());
    const queue = endpoints.find((e) => e.id === "local");
    const lb = endpoints.find((e) => e.id === "local-lb");
    expect(queue?.type).toBe("QUEUE");
    expect(queue?.requestUrls).toMatchObject({ run: `${platform.endpointUrl}/run` });
    // Production's literal placeholder, filled in as a client would.
    const job = (name: string) => `${platform.endpointUrl}/${name}/{job_id}`;
    expect(queue?.requestUrls).toEqual({
      run: `${platform.endpointUrl}/run`,
      runSync: `${platform.endpointUrl}/runsync`,
      status: job("status"),
      stream: job("stream"),
      cancel: job("cancel"),
      retry: job("retry"),
      purgeQueue: `${platform.endpointUrl}/purge-queue`,
      health: `${platform.endpointUrl}/health`,
    });
    const urls = queue?.requestUrls as { status: string };
    const status = await fetch(urls.status.replace("{job_id}", "no-such-job"), {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(status.status).toBe(404);
    // Prism's verdict on the placeholder is exactly the four job URLs' `format: uri`.
    const verdict = prism.exchanges.find((e) => e.path === "/v2/serverless")?.violations ?? [];
    expect(
      verdict.filter((v) => v.code === "format").map((v) => v.location.slice(-2).join(".")),
    ).toEqual(JOB_URLS.map((name) => `requestUrls.${name}`));
    expect(lb).toMatchObject({
      name: "local-lb",
      type: "LOAD_BALANCER",
      requestUrls: {
        base: platform.loadBalancerUrl,
        health: `${platform.loadBalancerUrl}/ping`,
      },
      scaling: { type: "REQUEST_COUNT", requestCount: 4 },
      workers: { min: 1, max: 1, idleTimeout: 60 },
      timeout: 330_000,
    });
    expect(await judged(() => api.endpoints.get("local-lb"))).toEqual(lb);
    expect(await judged(() => api.endpoints.get("local"))).toEqual(queue);

    await readyWorkers(platform, 1);
    const health = await fetch(lb?.requestUrls?.health as string, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(health.status).toBe(200);
  });

  it("answers an unknown endpoint with a 404 problem document, and keeps the queue API's routes", async () => {
    const missing = await judged(() => api.endpoints.get("nope")).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).problem).toEqual({
      title: "Not Found",
      status: 404,
      detail: "endpoint nope not found",
    });
    const res = await fetch(`${platform.endpointUrl}/health`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("jobs");
  });

  it("refuses a request without the key with a 401 problem document", async () => {
    expect(await problemOf({ authorized: false })).toEqual({
      status: 401,
      body: {
        title: "Unauthorized",
        status: 401,
        detail: "unauthorized: missing or invalid API key",
      },
    });
  });
});

describe("REST v2 view: workers", () => {
  it("reports WorkerStatus from health and load: IDLE, RUNNING, INITIALIZING for 204, UNHEALTHY", async () => {
    const [worker] = await readyWorkers(platform, 1);
    const statusNow = async () => {
      const { workers, summary } = await judged(() => api.endpoints.workers("local-lb"));
      expect(summary.total).toBe(workers.length);
      expect(workers.map((w) => w.id)).toEqual([worker?.id]);
      return { status: workers[0]?.status, summary };
    };
    expect((await statusNow()).status).toBe("IDLE");

    const held = fetch(`${platform.loadBalancerUrl}/hold/rest`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
    });
    await workersWhen(platform, (ws) => ws[0]?.inFlight === 1);
    const running = await statusNow();
    expect(running.status).toBe("RUNNING");
    expect(running.summary).toMatchObject({ running: 1, idle: 0, total: 1 });
    await direct(worker as never, "/release/rest");
    expect((await held).status).toBe(200);
    await workersWhen(platform, (ws) => ws[0]?.inFlight === 0);

    await direct(worker as never, "/set-health/204");
    await workersWhen(platform, (ws) => ws[0]?.state === "initializing");
    expect((await statusNow()).status).toBe("INITIALIZING");

    await direct(worker as never, "/set-health/500");
    await workersWhen(platform, (ws) => ws[0]?.state === "unhealthy");
    const unhealthy = await statusNow();
    expect(unhealthy.status).toBe("UNHEALTHY");
    expect(unhealthy.summary).toMatchObject({ unhealthy: 1, total: 1 });

    await direct(worker as never, "/set-health/200");
    await workersWhen(platform, (ws) => ws[0]?.state === "ready");
  });
});

describe("REST v2 view: create", () => {
  it("creates a LOAD_BALANCER endpoint that runs the configured command behind a balancer of its own", async () => {
    const created = await judged(() =>
      api.endpoints.create(
        lbBody({
          env: { HEALTH_CHECK_PATH: "/healthz", GREETING: "hi" },
          workers: { min: 0, max: 2, idleTimeout: 30 },
        }),
      ),
    );
    const base = (created.requestUrls as { base: string } | undefined)?.base as string;
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[a-z0-9]{8}$/),
      name: "my-lb",
      type: "LOAD_BALANCER",
      requestUrls: { base: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
      scaling: { type: "REQUEST_COUNT", requestCount: 1 },
      workers: { min: 0, max: 2, idleTimeout: 30 },
      image: "me/lb-worker:1.0",
      cpu: [{ id: "cpu5c", vcpuCount: 2, memory: 8 }],
    });
    expect(created.requestUrls).toEqual({ base, health: `${base}/healthz` });
    expect(base).not.toBe(platform.loadBalancerUrl);

    // It scales from zero on the first request, with the body's health path in the worker's env.
    const res = await fetch(`${base}/env`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ HEALTH_CHECK_PATH: "/healthz" });
    expect(res.headers.get("x-runpod-worker-id")).toEqual(expect.any(String));

    expect(await judged(() => api.endpoints.get(created.id))).toEqual(created);
    expect((await judged(() => api.endpoints.list())).map((e) => e.id)).toContain(created.id);
    const { workers } = await judged(() => api.endpoints.workers(created.id));
    expect(workers).toHaveLength(1);
    expect(workers[0]).toMatchObject({ image: "me/lb-worker:1.0", isStale: false });
    expect(["IDLE", "RUNNING"]).toContain(workers[0]?.status);
  });

  it("rejects QUEUE_DELAY scaling for a LOAD_BALANCER endpoint with a 422 problem document", async () => {
    const body = { ...lbBody(), scaling: { type: "QUEUE_DELAY", queueDelay: 4 }, bogus: 1 };
    const answer = await problemOf({ method: "POST", body: JSON.stringify(body) });
    expect(answer).toEqual({
      status: 422,
      body: {
        title: "Unprocessable Entity",
        status: 422,
        detail: "validation failed",
        errors: [
          '$: unknown key "bogus"',
          "$.scaling.type: QUEUE_DELAY scaling is for queue-based endpoints; a LOAD_BALANCER endpoint scales on REQUEST_COUNT",
        ],
      },
    });
    // Our client knows the document too, and refuses to send it at all.
    const sent = prism.exchanges.length;
    const refused = await api.endpoints
      .create({ ...lbBody(), scaling: { type: "QUEUE_DELAY", queueDelay: 4 } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(prism.exchanges.length).toBe(sent);
  });

  it("answers 400 for what the platform cannot create: a queue endpoint, no gpu or cpu", async () => {
    const queue = await judged(() =>
      api.endpoints.create({
        ...lbBody(),
        type: "QUEUE",
        scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      }),
    ).catch((e: unknown) => e);
    expect(queue).toBeInstanceOf(BadRequestError);
    expect((queue as BadRequestError).problem?.detail).toBe(
      "the local platform serves one queue endpoint, local, and creates only LOAD_BALANCER endpoints",
    );
    const neither = await problemOf({
      method: "POST",
      body: JSON.stringify({ ...lbBody(), cpu: undefined }),
    });
    expect(neither.status).toBe(400);
    expect(neither.body).toMatchObject({ detail: "specify exactly one of gpu or cpu" });
  });
});

describe("REST v2 view: without a load balancer", () => {
  it("lists only the queue endpoint, and says why a LOAD_BALANCER endpoint cannot be created", async () => {
    const bare = await startPlatform({ dashboard: false });
    const local = new RunpodApi({ apiKey: "any", baseUrl: bare.url, maxRetries: 0 });
    expect((await local.endpoints.list()).map((e) => e.id)).toEqual(["local"]);
    const error = await local.endpoints.create(lbBody()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).problem?.detail).toMatch(
      /^cannot create a LOAD_BALANCER endpoint: the local platform has no worker command to run for it/,
    );
    expect((await local.endpoints.workers("local")).summary.total).toBe(0);
  });
});
