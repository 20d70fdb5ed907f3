/**
 * A local stand-in for Runpod's GraphQL API: executes graphql/schema.graphql with graphql-js and
 * stateful in-memory resolvers, over real HTTP on 127.0.0.1 and an ephemeral port. Tests script
 * failures for the next requests (an HTTP status, a raw body, a response that never comes) and
 * read back every request as it arrived on the wire.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, graphql } from "graphql";

const schema = buildSchema(
  readFileSync(new URL("../../graphql/schema.graphql", import.meta.url), "utf8"),
);

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body text. */
  raw: string;
  query: string | undefined;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

/** A scripted answer for one request, used instead of executing it. */
export type ScriptedResponse =
  | { status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }
  | { raw: string; status?: number; contentType?: string }
  /** Sends nothing until the client gives up (aborts) or the server closes. */
  | { hang: true };

type Obj = Record<string, unknown>;
type Input = Record<string, unknown>;

export interface GpuTypeRecord {
  id: string;
  displayName: string;
  memoryInGb: number;
  securePrice: number;
  communityPrice: number;
}

const GPU_TYPES: GpuTypeRecord[] = [
  {
    id: "NVIDIA GeForce RTX 4090",
    displayName: "RTX 4090",
    memoryInGb: 24,
    securePrice: 0.69,
    communityPrice: 0.34,
  },
  { id: "NVIDIA A40", displayName: "A40", memoryInGb: 48, securePrice: 0.4, communityPrice: 0.35 },
];

const CPU_TYPES = [
  {
    id: "AMD EPYC 7642 48-Core Processor",
    displayName: "EPYC 7642",
    manufacturer: "AMD",
    cores: 48,
    threadsPerCore: 2,
    groupId: "AMD EPYC 7002 Series",
  },
];

/** Field values the server gives an endpoint for every field an update leaves out (full replace). */
const ENDPOINT_DEFAULTS: Obj = {
  gpuIds: "AMPERE_16",
  gpuCount: 1,
  idleTimeout: 5,
  scalerType: "QUEUE_DELAY",
  scalerValue: 4,
  workersMin: 0,
  workersMax: 3,
  locations: null,
  networkVolumeId: null,
  flashBootType: "OFF",
  allowedCudaVersions: null,
  minCudaVersion: null,
  executionTimeoutMs: 600_000,
  instanceIds: null,
  modelReferences: null,
  type: "QB",
};

export interface GraphQLTestServer {
  /** Base URL to give the client (`http://127.0.0.1:<port>`), without `/graphql`. */
  baseUrl: string;
  /** The key the server accepts as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Every request received, in order, including scripted ones. */
  requests: ReceivedRequest[];
  /** Answers the next requests with these, one each, before executing normally again. */
  script(...responses: ScriptedResponse[]): void;
  /** Resolves when `n` requests in total have been received. */
  waitForRequests(n: number): Promise<void>;
  /** In-memory state, for setting up and checking tests. */
  state: ServerState;
  close(): Promise<void>;
}

export interface ServerState {
  user: { id: string; email: string; pubKey: string };
  pods: Map<string, Obj>;
  endpoints: Map<string, Obj>;
  templates: Map<string, Obj>;
  registryAuths: Map<string, Obj & { password: string }>;
  secrets: Map<string, Obj & { value: string }>;
  volumes: Map<string, Obj>;
}

export async function startGraphQLServer(apiKey = "test-key"): Promise<GraphQLTestServer> {
  const state: ServerState = {
    user: { id: "user-1", email: "dev@example.com", pubKey: "" },
    pods: new Map(),
    endpoints: new Map(),
    templates: new Map(),
    registryAuths: new Map(),
    secrets: new Map(),
    volumes: new Map([["vol-1", { id: "vol-1", name: "data", size: 50, dataCenterId: "EU-RO-1" }]]),
  };
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}-${++counter}`;
  const rootValue = resolvers(state, nextId);

  const requests: ReceivedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Obj | undefined;
      try {
        body = JSON.parse(raw) as Obj;
      } catch {
        body = undefined;
      }
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        raw,
        query: body?.query as string | undefined,
        operationName: body?.operationName as string | undefined,
        variables: body?.variables as Record<string, unknown> | undefined,
      });
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const next = scripted.shift();
      if (next) return answerScripted(res, next);
      if (req.url !== "/graphql" || req.method !== "POST")
        return send(res, 404, { message: "not found" });
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        return send(res, 401, { errors: [{ message: "Unauthorized" }] });
      }
      if (body === undefined) return send(res, 400, { errors: [{ message: "body is not JSON" }] });
      graphql({
        schema,
        source: String(body.query ?? ""),
        rootValue,
        variableValues: body.variables as Obj | undefined,
        operationName: body.operationName as string | undefined,
      }).then(
        (result) => send(res, 200, result),
        (error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    state,
    script: (...responses) => scripted.push(...responses),
    waitForRequests: (n) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/json",
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": contentType, "x-request-id": "req-test", ...headers });
  res.end(JSON.stringify(body));
}

function answerScripted(res: ServerResponse, s: ScriptedResponse) {
  if ("hang" in s) return; // never answered: the client's timeout (or server close) ends it
  if ("raw" in s) {
    res.writeHead(s.status ?? 200, { "content-type": s.contentType ?? "application/json" });
    res.end(s.raw);
    return;
  }
  send(res, s.status, s.body ?? {}, s.contentType, s.headers);
}

function notFound(what: string, id: unknown): never {
  throw new Error(`${what} ${String(id)} not found`);
}

function envStrings(env: unknown): string[] {
  return ((env as Array<{ key: string; value: string }> | null) ?? []).map(
    (e) => `${e.key}=${e.value}`,
  );
}

function resolvers(state: ServerState, nextId: (prefix: string) => string) {
  const gpu = (g: GpuTypeRecord) => ({
    ...g,
    manufacturer: "Nvidia",
    cudaCores: 10_000,
    secureCloud: true,
    communityCloud: true,
    maxGpuCount: 8,
    oneWeekPrice: g.securePrice * 0.9,
    oneMonthPrice: g.securePrice * 0.8,
    threeMonthPrice: g.securePrice * 0.7,
    communitySpotPrice: g.communityPrice / 2,
    secureSpotPrice: g.securePrice / 2,
    lowestPrice: ({ input }: { input: { gpuCount: number } }) => ({
      minimumBidPrice: (g.communityPrice / 2) * input.gpuCount,
      uninterruptablePrice: g.communityPrice * input.gpuCount,
      stockStatus: "High",
    }),
  });

  const deploy = (input: Input, podType: string, gpuTypeId: unknown) => {
    const gpuType = GPU_TYPES.find((g) => g.id === gpuTypeId);
    if (gpuTypeId !== undefined && !gpuType) {
      throw new Error(
        "There are no longer any instances available with the requested specifications.",
      );
    }
    const id = nextId("pod");
    const pod: Obj = {
      id,
      name: input.name,
      imageName: input.imageName ?? "",
      desiredStatus: "RUNNING",
      podType,
      costPerHr: gpuType ? gpuType.securePrice * Number(input.gpuCount ?? 1) : 0.1,
      containerDiskInGb: input.containerDiskInGb ?? null,
      volumeInGb: input.volumeInGb ?? 0,
      volumeMountPath: input.volumeMountPath ?? null,
      gpuCount: gpuType ? Number(input.gpuCount ?? 1) : 0,
      vcpuCount: 4,
      memoryInGb: 16,
      dockerArgs: input.dockerArgs ?? null,
      dockerId: null,
      env: envStrings(input.env),
      port: null,
      ports: input.ports ?? null,
      machineId: `machine-${id}`,
      lastStatusChange: "Rented by User: Mon Nov 23 2026",
      uptimeSeconds: 0,
      templateId: input.templateId ?? null,
      networkVolumeId: input.networkVolumeId ?? null,
      runtime: null,
      machine: { podHostId: `${id}-1`, gpuDisplayName: gpuType?.displayName ?? null },
      input,
    };
    state.pods.set(id, pod);
    return pod;
  };
  const pod = (podId: unknown) => state.pods.get(String(podId)) ?? notFound("pod", podId);

  const saveEndpoint = ({ input }: { input: Input }) => {
    if (input.id !== undefined && !state.endpoints.has(String(input.id)))
      notFound("endpoint", input.id);
    if (typeof input.name !== "string" || input.name.length < 3)
      throw new Error("name is required");
    const id = (input.id as string | undefined) ?? nextId("ep");
    // A save with an id replaces the whole endpoint, as Runpod's does.
    const endpoint: Obj = {
      ...ENDPOINT_DEFAULTS,
      ...input,
      id,
      userId: state.user.id,
      aiKey: null,
      version: 0,
      workersStandby: 0,
      createdAt: "2026-11-23T14:00:00.000Z",
      env: [],
      networkVolume: input.networkVolumeId
        ? { id: input.networkVolumeId, dataCenterId: "EU-RO-1" }
        : null,
    };
    state.endpoints.set(id, endpoint);
    return endpoint;
  };

  const templateView = (t: Obj) => t;

  return {
    // --- Query ---
    myself: () => ({
      ...state.user,
      pods: () => [...state.pods.values()],
      endpoints: () => [...state.endpoints.values()],
      endpoint: ({ id }: { id: string }) => state.endpoints.get(id) ?? null,
      podTemplates: () => [...state.templates.values()].map(templateView),
      networkVolumes: () => [...state.volumes.values()],
      containerRegistryCreds: () =>
        [...state.registryAuths.values()].map(({ id, name }) => ({ id, name })),
      secrets: () =>
        [...state.secrets.values()].map(({ id, name, description, createdAt }) => ({
          id,
          name,
          description,
          createdAt,
        })),
    }),
    pod: ({ input }: { input: { podId: string } }) => state.pods.get(input.podId) ?? null,
    gpuTypes: ({ input }: { input?: { id?: string; ids?: string[] } }) =>
      GPU_TYPES.filter(
        (g) =>
          (input?.id === undefined || g.id === input.id) &&
          (input?.ids === undefined || input.ids.includes(g.id)),
      ).map(gpu),
    cpuTypes: () => CPU_TYPES,
    podTemplate: ({ id }: { id: string }) => state.templates.get(id) ?? null,

    // --- Mutation: pods ---
    podFindAndDeployOnDemand: ({ input }: { input: Input }) =>
      deploy(input, "RESERVED", input.gpuTypeId),
    deployCpuPod: ({ input }: { input: Input }) => deploy(input, "RESERVED", undefined),
    podRentInterruptable: ({ input }: { input: Input }) =>
      deploy(input, "INTERRUPTABLE", input.gpuTypeId),
    podStop: ({ input }: { input: { podId: string } }) =>
      Object.assign(pod(input.podId), { desiredStatus: "EXITED" }),
    podResume: ({ input }: { input: { podId: string; gpuCount?: number } }) =>
      Object.assign(pod(input.podId), {
        desiredStatus: "RUNNING",
        ...(input.gpuCount === undefined ? {} : { gpuCount: input.gpuCount }),
      }),
    podBidResume: ({ input }: { input: { podId: string; gpuCount: number; bidPerGpu: number } }) =>
      Object.assign(pod(input.podId), {
        desiredStatus: "RUNNING",
        gpuCount: input.gpuCount,
        costPerHr: input.bidPerGpu * input.gpuCount,
      }),
    podTerminate: ({ input }: { input: { podId: string } }) => {
      pod(input.podId);
      state.pods.delete(input.podId);
      return null;
    },

    // --- Mutation: templates ---
    saveTemplate: ({ input }: { input: Input }) => {
      const clash = [...state.templates.values()].find(
        (t) => t.name === input.name && t.id !== input.id,
      );
      if (clash) throw new Error(`Template name must be unique: ${String(input.name)}`);
      const id = (input.id as string | undefined) ?? nextId("tpl");
      const template = { ...input, id };
      state.templates.set(id, template);
      return template;
    },
    deleteTemplate: ({ templateName }: { templateName: string }) => {
      const t = [...state.templates.values()].find((t) => t.name === templateName);
      if (!t) notFound("template", templateName);
      state.templates.delete(String(t.id));
      return null;
    },

    // --- Mutation: endpoints ---
    saveEndpoint,
    updateEndpointTemplate: ({ input }: { input: { endpointId: string; templateId: string } }) => {
      const e = state.endpoints.get(input.endpointId) ?? notFound("endpoint", input.endpointId);
      e.templateId = input.templateId;
      return e;
    },
    deleteEndpoint: ({ id }: { id: string }) => {
      const e = state.endpoints.get(id) ?? notFound("endpoint", id);
      if (e.workersMin !== 0 || e.workersMax !== 0) {
        throw new Error("Endpoint must have workersMin and workersMax set to 0 before deletion");
      }
      state.endpoints.delete(id);
      return null;
    },

    // --- Mutation: account, registry, secrets, volumes ---
    updateUserSettings: ({ input }: { input: { pubKey?: string } }) => {
      if (input.pubKey !== undefined) state.user.pubKey = input.pubKey;
      return state.user;
    },
    saveRegistryAuth: ({
      input,
    }: {
      input: { name: string; username: string; password: string };
    }) => {
      const id = nextId("reg");
      const auth = { id, ...input };
      state.registryAuths.set(id, auth);
      return auth;
    },
    updateRegistryAuth: ({
      input,
    }: {
      input: { id: string; username: string; password: string };
    }) => {
      const auth = state.registryAuths.get(input.id) ?? notFound("registry auth", input.id);
      Object.assign(auth, { username: input.username, password: input.password });
      return auth;
    },
    deleteRegistryAuth: ({ registryAuthId }: { registryAuthId: string }) => {
      if (!state.registryAuths.delete(registryAuthId)) notFound("registry auth", registryAuthId);
      return null;
    },
    createNetworkVolume: ({ input }: { input: Input }) => {
      const id = nextId("vol");
      const volume = { id, ...input };
      state.volumes.set(id, volume);
      return volume;
    },
    secretCreate: ({ input }: { input: { name: string; value: string; description?: string } }) => {
      const id = nextId("sec");
      const secret = {
        id,
        name: input.name,
        value: input.value,
        description: input.description ?? null,
        createdAt: "2026-11-23T14:00:00.000Z",
      };
      state.secrets.set(id, secret);
      return secret;
    },
    secretDelete: ({ id }: { id: string }) => {
      if (!state.secrets.delete(id)) notFound("secret", id);
      return null;
    },
  };
}
