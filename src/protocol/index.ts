export type { Job, JobStopResponse } from "./job.js";
export {
  chunkError,
  errorBody,
  IS_STREAM_PARAM,
  type JobDoneBody,
  type JobDoneOutcome,
  parseJobDoneBody,
  parseStreamChunk,
  progressBody,
  resultBody,
  resultHeaders,
  streamChunkBody,
  streamDoneBody,
  withStopPod,
} from "./job-done.js";
export {
  canTransition,
  isTerminal,
  JOB_STATES,
  type JobState,
  TERMINAL_STATES,
  TRANSITIONS,
} from "./job-states.js";
export {
  type PythonJsonOptions,
  pythonJsonDumps,
  UnserializableValueError,
} from "./python-json.js";
export {
  type JobPolicy,
  jobPolicySchema,
  RUN_BODY_LIMIT,
  RUNSYNC_BODY_LIMIT,
  type RunOptions,
  type RunRequest,
  runOptionsSchema,
  runRequestSchema,
  type S3Config,
  SYNC_WAIT_DEFAULT_MS,
  SYNC_WAIT_MAX_MS,
  SYNC_WAIT_MIN_MS,
  s3ConfigSchema,
} from "./run-request.js";
export type {
  EndpointHealth,
  JobStatus,
  PurgeQueueResponse,
  StreamResponse,
  WebhookPayload,
} from "./status.js";
export { appendQuery, jobUrl, swapJobTakeSegment, workerUrl } from "./urls.js";
export {
  type FormatWorkerEnvOptions,
  formatWorkerEnv,
  type WebhookEnvInit,
  webhookEnv,
} from "./webhook-env.js";
export { describeThrown, type WorkerErrorFields, workerErrorString } from "./worker-error.js";
export {
  jobStopUrl,
  jobTakeUrl,
  PING_JOB_IDS_MARKER,
  parseStopResponse,
  parseTakeResponse,
  pingUrls,
  type TakeResult,
  unhealthyPingUrl,
} from "./worker-requests.js";
