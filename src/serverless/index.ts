/** `runpod-ts/serverless`: the worker runtime and the local platform. */
export * from "../core/index.js";
export type { Job } from "../protocol/index.js";
