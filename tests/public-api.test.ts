/** Pins the public surface of every entry: a change to it is a deliberate edit of this list. */
import { describe, expect, it } from "vitest";

const baseErrors = ["RunpodError", "ValidationError"];
const httpErrors = [
  "APIError",
  "AbortError",
  "AuthenticationError",
  "BadRequestError",
  "ConnectionError",
  "InternalServerError",
  "InvalidResponseError",
  "NotFoundError",
  "PayloadTooLargeError",
  "PermissionDeniedError",
  "RateLimitError",
  "RequestTimeoutError",
];
const jobErrors = [
  "JobCancelledError",
  "JobError",
  "JobFailedError",
  "JobTimedOutError",
  "WaitTimeoutError",
];
const lbErrors = ["AffinityWorkerGoneError", "NoWorkersAvailableError", "WorkerTimeoutError"];
const loggers = ["levelLogger", "silentLogger"];

const entries: Record<string, { load: () => Promise<object>; names: string[] }> = {
  "runpod-ts": {
    load: () => import("../src/index.js"),
    names: [
      ...baseErrors,
      ...httpErrors,
      ...jobErrors,
      ...lbErrors,
      ...loggers,
      "VERSION",
      "TERMINAL_STATES",
      "isTerminal",
      "Endpoint",
      "JobHandle",
      "JobStream",
      "LoadBalancerEndpoint",
      "RunpodApi",
      "GraphQLRequestError",
      "JobAbortedError",
      "serverless",
      "createLocalPlatform",
      "formatWorkerEnv",
    ],
  },
  "runpod-ts/endpoint": {
    load: () => import("../src/endpoint/index.js"),
    names: [
      ...baseErrors,
      ...httpErrors,
      ...jobErrors,
      ...lbErrors,
      "VERSION",
      "TERMINAL_STATES",
      "isTerminal",
      "Endpoint",
      "JobHandle",
      "JobStream",
      "LoadBalancerEndpoint",
    ],
  },
  "runpod-ts/serverless": {
    load: () => import("../src/serverless/index.js"),
    names: [
      ...baseErrors,
      ...loggers,
      "VERSION",
      "createLocalPlatform",
      "formatWorkerEnv",
      "JobAbortedError",
      "OpenAIRouteError",
      "openaiHandler",
      "openaiProxy",
      "serverless",
    ],
  },
  "runpod-ts/serverless/io": {
    load: () => import("../src/serverless/io/index.js"),
    names: [
      "AbortError",
      "DEFAULT_MAX_DOWNLOAD_BYTES",
      "DownloadError",
      "RunpodError",
      "SsrfError",
      "StorageError",
      "ValidationError",
      "cleanup",
      "download",
      "downloadMany",
      "regionFromEndpoint",
      "upload",
      "uploadMany",
      "VolumeCache",
    ],
  },
  "runpod-ts/local": {
    load: () => import("../src/local/index.js"),
    names: ["createLocalPlatform"],
  },
  "runpod-ts/api": {
    load: () => import("../src/api/index.js"),
    names: [
      ...baseErrors,
      ...httpErrors,
      ...loggers,
      "VERSION",
      "RunpodApi",
      "GraphQLRequestError",
    ],
  },
};

describe("public API", () => {
  it("runpod-ts/endpoint's Node build exports the same names as the universal one", async () => {
    const node = await import("../src/endpoint/node.js");
    const universal = await import("../src/endpoint/index.js");
    expect(Object.keys(node).sort()).toEqual(Object.keys(universal).sort());
    expect(node.Endpoint).not.toBe(universal.Endpoint);
  });

  for (const [name, { load, names }] of Object.entries(entries)) {
    it(`${name} exports exactly its documented names`, async () => {
      const mod = await load();
      expect(Object.keys(mod).sort()).toEqual([...names].sort());
    });
  }

  it("no entry exports the package's machinery (User-Agent, config-file readers)", async () => {
    for (const { load } of Object.values(entries)) {
      const mod = await load();
      for (const name of ["userAgent", "configFilePath", "readConfigFile", "readConfigProfile"]) {
        expect(mod).not.toHaveProperty(name);
      }
    }
  });

  it("the root's createLocalPlatform starts a platform (loading Hono on that call)", async () => {
    const { createLocalPlatform } = await import("../src/index.js");
    const platform = await createLocalPlatform({ port: 0, dashboard: false });
    try {
      const reply = await fetch(`${platform.endpointUrl}/health`);
      expect(reply.status).toBe(200);
    } finally {
      await platform.close();
    }
  });
});

describe("serverless namespace", () => {
  it("has start, serve, registerFitnessCheck and currentJob", async () => {
    const { serverless } = await import("../src/serverless/index.js");
    expect(Object.keys(serverless).sort()).toEqual([
      "currentJob",
      "registerFitnessCheck",
      "serve",
      "start",
    ]);
  });
});
