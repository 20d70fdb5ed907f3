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
