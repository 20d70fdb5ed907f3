/** `runpod-ts/endpoint`: the app-side client for serverless endpoints. Universal: fetch only. */
export * from "../core/index.js";
export {
  type EndpointHealth,
  isTerminal,
  type JobPolicy,
  type JobState,
  type JobStatus,
  type PurgeQueueResponse,
  type RunOptions,
  type S3Config,
  type StreamResponse,
  TERMINAL_STATES,
  type WebhookPayload,
} from "../protocol/index.js";
export { Endpoint } from "./endpoint.js";
export { Job } from "./job.js";
export type {
  EndpointOptions,
  FetchLike,
  RunCallOptions,
  RunSyncOptions,
  SignalOptions,
  WaitOptions,
} from "./options.js";
export { JobStream } from "./stream.js";
