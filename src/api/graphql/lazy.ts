import type { GraphQLApi } from "./client.js";

/** The methods of {@link GraphQLApi} (its public shape, without the class's private state). */
export type GraphQLOperations = { readonly [K in keyof GraphQLApi]: GraphQLApi[K] };

/** Every method of `GraphQLApi`, pinned by a test against its prototype. */
export const GRAPHQL_METHODS = [
  "request",
  "getUser",
  "updateUserSettings",
  "getGpus",
  "getGpu",
  "getCpuTypes",
  "getPods",
  "getPod",
  "createPod",
  "createSpotPod",
  "stopPod",
  "resumePod",
  "resumeSpotPod",
  "terminatePod",
  "createTemplate",
  "getTemplates",
  "getTemplate",
  "deleteTemplate",
  "getEndpoints",
  "getEndpoint",
  "createEndpoint",
  "updateEndpoint",
  "updateEndpointTemplate",
  "deleteEndpoint",
  "createContainerRegistryAuth",
  "updateContainerRegistryAuth",
  "deleteContainerRegistryAuth",
  "getContainerRegistryAuths",
  "createSecret",
  "deleteSecret",
  "getSecrets",
  "createNetworkVolume",
  "getNetworkVolumes",
] as const satisfies ReadonlyArray<Exclude<keyof GraphQLApi, "url">>;

/**
 * `api.graphql` without loading graphql or graphql-request: each method loads the real client
 * (one dynamic import, once per `RunpodApi`) on its first call and forwards to it, so an app
 * that only uses REST v2 never pays for GraphQL.
 */
export function lazyGraphQL(load: () => Promise<GraphQLApi>, url: string): GraphQLOperations {
  let client: Promise<GraphQLApi> | undefined;
  const real = () => {
    client ??= load().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
  const facade: Record<string, unknown> = { url };
  for (const name of GRAPHQL_METHODS) {
    facade[name] = async (...args: unknown[]) => {
      const g = await real();
      return (g[name] as (...a: unknown[]) => unknown).apply(g, args);
    };
  }
  return Object.freeze(facade) as unknown as GraphQLOperations;
}
