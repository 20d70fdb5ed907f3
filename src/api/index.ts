/** `runpod-ts/api`: the cloud (GraphQL) API client. */
export * from "../core/index.js";
