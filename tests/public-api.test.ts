/** Pins the public surface of every entry: a change to it is a deliberate edit of this list. */
import { describe, expect, it } from "vitest";

const coreExports = [
  "APIError",
  "AbortError",
  "AuthenticationError",
  "BadRequestError",
  "ConnectionError",
  "InternalServerError",
  "InvalidResponseError",
  "JobCancelledError",
  "JobError",
  "JobFailedError",
  "JobTimedOutError",
  "JobTimeoutError",
  "NotFoundError",
  "PayloadTooLargeError",
  "PermissionDeniedError",
  "RateLimitError",
  "RequestTimeoutError",
  "RunpodError",
  "VERSION",
  "ValidationError",
  "levelLogger",
  "silentLogger",
  "userAgent",
];

const entries: Record<string, { load: () => Promise<object>; names: string[] }> = {
  "runpod-ts": {
    load: () => import("../src/index.js"),
    names: [
      ...coreExports,
      "TERMINAL_STATES",
      "isTerminal",
      "Endpoint",
      "EndpointJob",
      "JobStream",
      "RunpodApi",
      "GraphQLRequestError",
      "JobAbortedError",
      "serverless",
    ],
  },
  "runpod-ts/endpoint": {
    load: () => import("../src/endpoint/index.js"),
    names: [...coreExports, "TERMINAL_STATES", "isTerminal", "Endpoint", "Job", "JobStream"],
  },
  "runpod-ts/serverless": {
    load: () => import("../src/serverless/index.js"),
    names: [
      ...coreExports,
      "createLocalPlatform",
      "formatWorkerEnv",
      "JobAbortedError",
      "serverless",
    ],
  },
  "runpod-ts/local": {
    load: () => import("../src/local/index.js"),
    names: ["createLocalPlatform"],
  },
  "runpod-ts/api": {
    load: () => import("../src/api/index.js"),
    names: [
      ...coreExports,
      "RunpodApi",
      "GraphQLRequestError",
      "configFilePath",
      "readConfigFile",
      "readConfigProfile",
    ],
  },
};

describe("public API", () => {
  for (const [name, { load, names }] of Object.entries(entries)) {
    it(`${name} exports exactly its documented names`, async () => {
      const mod = await load();
      expect(Object.keys(mod).sort()).toEqual([...names].sort());
    });
  }
});

describe("serverless namespace", () => {
  it("has start, registerFitnessCheck and currentJob", async () => {
    const { serverless } = await import("../src/serverless/index.js");
    expect(Object.keys(serverless).sort()).toEqual(["currentJob", "registerFitnessCheck", "start"]);
  });
});
