/** The wire contract and every failure path of the GraphQL transport, over real HTTP. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunpodApi, type RunpodApiOptions } from "../../src/api/client.js";
import { MyPodsDocument, PodStopDocument } from "../../src/api/generated/graphql.js";
import { GraphQLRequestError } from "../../src/api/graphql/errors.js";
import {
  AbortError,
  APIError,
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  RequestTimeoutError,
} from "../../src/core/api-errors.js";
import { ValidationError } from "../../src/core/errors.js";
import { useIsolatedHome } from "../helpers/env.js";
import { type GraphQLTestServer, startGraphQLServer } from "../helpers/graphql-server.js";

let server: GraphQLTestServer;
// An empty HOME and no env key: nothing outside the test decides which key is used.
useIsolatedHome(["RUNPOD_API_KEY", "RUNPOD_API_BASE_URL"]);

beforeAll(async () => {
  server = await startGraphQLServer("rpa_SECRET_KEY_123");
});
afterAll(() => server.close());

const client = (options: RunpodApiOptions = {}) =>
  new RunpodApi({ apiKey: server.apiKey, baseUrl: server.baseUrl, retryDelayMs: 1, ...options });

/** Runs `fn` and returns the requests the server received meanwhile. */
async function seen(fn: () => Promise<unknown>) {
  const before = server.requests.length;
  const outcome = await fn().then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, requests: server.requests.slice(before) };
}

describe("on the wire", () => {
  it("POSTs to /graphql with a Bearer key, our User-Agent and values only in variables", async () => {
    const pod = await client().graphql.createPod({
      name: "wire-test",
      imageName: "img:1",
      gpuTypeId: "NVIDIA A40",
    });
    const { requests } = await seen(() => client().graphql.stopPod(pod.id));
    const [req] = requests;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/graphql");
    expect(req?.headers.authorization).toBe("Bearer rpa_SECRET_KEY_123");
    expect(req?.headers["user-agent"]).toMatch(/^runpod-ts\/\S+ \(.+\) Language\/Node /);
    expect(req?.headers["content-type"]).toMatch(/^application\/json/);
    expect(req?.operationName).toBe("PodStop");
    expect(req?.variables).toEqual({ input: { podId: pod.id } });
    expect(req?.query).toMatch(/mutation PodStop\(\$input: PodStopInput!\)/);
    expect(req?.query).not.toContain(pod.id);
    for (const r of server.requests) {
      expect(r.url).not.toContain("api_key");
      expect(r.query ?? "").not.toContain("wire-test");
    }
  });

  it("reads the base URL from RUNPOD_API_BASE_URL and the key from RUNPOD_API_KEY", async () => {
    process.env.RUNPOD_API_BASE_URL = `${server.baseUrl}/`;
    process.env.RUNPOD_API_KEY = server.apiKey;
    const api = new RunpodApi();
    expect(api.graphql.url).toBe(`${server.baseUrl}/graphql`);
    const { requests, error } = await seen(() => api.graphql.getGpus());
    expect(error).toBeUndefined();
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
  });

  it("runs any typed document or query string through request()", async () => {
    const data = await client().graphql.request(MyPodsDocument);
    expect(Array.isArray(data.myself?.pods)).toBe(true);
    const raw = await client().graphql.request<{ gpuTypes: Array<{ id: string }> }, { id: string }>(
      "query One($id: String!) { gpuTypes(input: { id: $id }) { id } }",
      { id: "NVIDIA A40" },
    );
    expect(raw).toEqual({ gpuTypes: [{ id: "NVIDIA A40" }] });
    expect(server.requests.at(-1)?.variables).toEqual({ id: "NVIDIA A40" });
  });
});

describe("authentication", () => {
  it("fails before sending when no key is configured, and says where to put one", async () => {
    const api = new RunpodApi({ baseUrl: server.baseUrl });
    const { error, requests } = await seen(() => api.graphql.getPods());
    expect(requests).toEqual([]);
    expect(error).toBeInstanceOf(AuthenticationError);
    const { message, status } = error as AuthenticationError;
    expect(status).toBeUndefined();
    expect(message).toContain("`apiKey` option");
    expect(message).toContain("RUNPOD_API_KEY");
    expect(message).toContain("runpod-ts config");
  });

  it("maps HTTP 401 to AuthenticationError, once, without the key in the error", async () => {
    const wrongKey = "rpa_WRONG_KEY_456";
    const { error, requests } = await seen(() => client({ apiKey: wrongKey }).graphql.getPods());
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.status).toBe(401);
    expect(e.requestId).toBe("req-test");
    expect(e.message).toMatch(/HTTP 401 to MyPods: Unauthorized/);
    const everything = `${e.message} ${e.stack} ${JSON.stringify(e)} ${JSON.stringify(e.body)}`;
    expect(everything).not.toContain(wrongKey);
  });
});

describe("GraphQL errors", () => {
  it("carries every errors[] entry with message, path and extensions, and the operation name", async () => {
    server.script({
      status: 200,
      body: {
        data: { myself: null },
        errors: [
          { message: "Unauthorized", path: ["myself"], extensions: { code: "FORBIDDEN" } },
          {
            message: "Something else",
            path: ["myself", "pods", 0],
            locations: [{ line: 1, column: 2 }],
          },
        ],
      },
    });
    const { error, requests } = await seen(() => client().graphql.getPods());
    expect(requests).toHaveLength(1); // a GraphQL error is an answer, not a transient failure
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toBeInstanceOf(APIError);
    const e = error as GraphQLRequestError;
    expect(e.operationName).toBe("MyPods");
    expect(e.message).toBe("GraphQL operation MyPods failed: Unauthorized; Something else");
    expect(e.errors).toEqual([
      { message: "Unauthorized", path: ["myself"], extensions: { code: "FORBIDDEN" } },
      {
        message: "Something else",
        path: ["myself", "pods", 0],
        locations: [{ line: 1, column: 2 }],
      },
    ]);
    expect(e.data).toEqual({ myself: null });
  });

  it("reports a document that the server rejects", async () => {
    const error = await client()
      .graphql.request("query Bad { myself { noSuchField } }")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).errors[0]?.message).toMatch(/noSuchField/);
  });
});

describe("retries", () => {
  it("retries a query after a 5xx and returns the later success", async () => {
    server.script({ status: 503, body: { message: "busy" } }, {
      status: 502,
      raw: "bad gateway",
    } as never);
    const { value, requests, error } = await seen(() => client().graphql.getGpus());
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.operationName)).toEqual(["GpuTypes", "GpuTypes", "GpuTypes"]);
    expect((value as unknown[]).length).toBe(2);
  });

  it("retries a query after a 429, waiting as long as Retry-After says", async () => {
    server.script({ status: 429, body: {}, headers: { "retry-after": "0.05" } });
    const { error, requests } = await seen(() => client().graphql.getCpuTypes());
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it("stops waiting between attempts when the caller aborts", async () => {
    server.script({ status: 503, body: {} });
    const controller = new AbortController();
    const pending = client({ retryDelayMs: 60_000 }).graphql.request(
      MyPodsDocument,
      {},
      {
        signal: controller.signal,
      },
    );
    await server.waitForRequests(server.requests.length + 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("gives up after maxRetries and reports the last status", async () => {
    server.script(
      { status: 500, body: { errors: [{ message: "boom" }] } },
      { status: 500, body: {} },
    );
    const { error, requests } = await seen(() => client({ maxRetries: 1 }).graphql.getGpus());
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(500);
  });

  it("does not retry a mutation", async () => {
    server.script({ status: 503, body: {} });
    const { error, requests } = await seen(() =>
      client().graphql.createTemplate({ name: "not-retried", imageName: "img" }),
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(1);
    expect(server.state.templates.size).toBe(0);
  });

  it("retries a mutation that is safe to repeat (stopPod) and one marked idempotent", async () => {
    const pod = await client().graphql.createPod({ name: "retry-stop", imageName: "img" });
    server.script({ status: 502, body: {} });
    const stopped = await seen(() => client().graphql.stopPod(pod.id));
    expect(stopped.error).toBeUndefined();
    expect(stopped.requests).toHaveLength(2);

    server.script({ status: 503, body: {} });
    const viaRequest = await seen(() =>
      client().graphql.request(PodStopDocument, { input: { podId: pod.id } }, { idempotent: true }),
    );
    expect(viaRequest.value).toEqual({ podStop: { id: pod.id, desiredStatus: "EXITED" } });
    expect(viaRequest.requests).toHaveLength(2);
  });
});

describe("transport failures", () => {
  it("times out a response that never comes, and retries a query after a timeout", async () => {
    server.script({ hang: true });
    const { error, requests } = await seen(() =>
      client({ timeoutMs: 150, maxRetries: 0 }).graphql.getPods(),
    );
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toMatch(/did not answer within 150 ms/);

    server.script({ hang: true });
    const retried = await seen(() => client({ timeoutMs: 150, maxRetries: 1 }).graphql.getGpus());
    expect(retried.error).toBeUndefined();
    expect(retried.requests).toHaveLength(2);
  });

  it("stops when the caller aborts", async () => {
    server.script({ hang: true });
    const controller = new AbortController();
    const pending = client().graphql.request(MyPodsDocument, {}, { signal: controller.signal });
    await server.waitForRequests(server.requests.length + 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("maps a refused connection to ConnectionError", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await new RunpodApi({
      apiKey: "k",
      baseUrl: `http://127.0.0.1:${port}`,
      maxRetries: 0,
    }).graphql
      .getPods()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}/graphql`);
  });

  it("rejects a body that is not JSON", async () => {
    server.script({ raw: "<html>maintenance</html>", contentType: "text/html" });
    const html = await client({ maxRetries: 0 })
      .graphql.getPods()
      .catch((e: unknown) => e);
    expect(html).toBeInstanceOf(InvalidResponseError);
    expect(html).toMatchObject({ status: 200, body: "<html>maintenance</html>" });
    expect((html as Error).message).toMatch(
      /not a GraphQL JSON result \(HTTP 200, content-type text\/html\)/,
    );

    server.script({ raw: '{"data": {"myself": ' });
    await expect(client().graphql.getPods()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("rejects a JSON answer without data or errors", async () => {
    server.script({ status: 200, body: { extensions: {} } });
    const error = await client()
      .graphql.getUser()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/answered Myself without `data`/);
  });
});

describe("input validation", () => {
  it("rejects bad input before sending anything", async () => {
    const api = client();
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [
        () => api.graphql.createPod({ name: "", imageName: "img" }),
        /createPod\(\) input: name: name is required/,
      ],
      [() => api.graphql.createPod({ name: "x" }), /imageName or templateId is required/],
      [() => api.graphql.createPod({ name: "x", imageName: "i", gpuCount: 0 }), /gpuCount/],
      [
        () => api.graphql.createPod({ name: "x", imageName: "i", cloudType: "CHEAP" as never }),
        /cloudType/,
      ],
      [
        () => api.graphql.createPod({ name: "x", imageName: "i", gpuTypId: "A40" } as never),
        /gpuTypId/,
      ],
      [
        () =>
          api.graphql.createEndpoint({ name: "e", templateId: "t", workersMin: 4, workersMax: 2 }),
        /workersMin/,
      ],
      [
        () =>
          api.graphql.createEndpoint({ name: "e", templateId: "t", scalerType: "FAST" as never }),
        /scalerType/,
      ],
      [
        () => api.graphql.createNetworkVolume({ name: "v", size: 0, dataCenterId: "EU-RO-1" }),
        /size/,
      ],
      [() => api.graphql.createSecret({ name: "s", value: "" }), /value is required/],
      [() => api.graphql.stopPod(""), /podId must be a non-empty string/],
      [() => api.graphql.getGpu("NVIDIA A40", 1.5), /gpuQuantity/],
      [() => api.graphql.resumeSpotPod("pod-1", { bidPerGpu: -1 }), /bidPerGpu/],
      [
        () => api.graphql.createContainerRegistryAuth({ name: "r", username: "", password: "p" }),
        /username/,
      ],
    ];
    const before = server.requests.length;
    for (const [call, message] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(server.requests.length).toBe(before);
  });

  it("rejects a query string that does not parse, before sending", async () => {
    const before = server.requests.length;
    const error = await client()
      .graphql.request("query { myself { ")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/Invalid GraphQL document: Syntax Error/);
    expect(server.requests.length).toBe(before);
  });

  it("rejects bad client options at construction", () => {
    expect(() => new RunpodApi({ timeoutMs: -1 })).toThrow(/RunpodApi options: timeoutMs/);
    expect(() => new RunpodApi({ baseUrl: "not a url" })).toThrow(
      /RunpodApi options: baseUrl: must be a valid url/,
    );
    expect(() => new RunpodApi({ apiKey: "" })).toThrow(/RunpodApi options: apiKey/);
    process.env.RUNPOD_API_BASE_URL = "nope";
    expect(() => new RunpodApi()).toThrow(/RUNPOD_API_BASE_URL: must be a valid url/);
  });

  it("rejects a misspelt option, worded as Endpoint and start() word it", () => {
    const options = { apiKey: "k", maxRetry: 3 } as unknown as RunpodApiOptions;
    expect(() => new RunpodApi(options)).toThrow(
      'Invalid RunpodApi options: unknown option "maxRetry"',
    );
  });
});
