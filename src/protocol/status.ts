import type { JobState } from "./job-states.js";

/** The status object of `/run`, `/status`, `/runsync`, … (§B.3.1). */
export interface JobStatus<Output = unknown> {
  id: string;
  status: JobState;
  /** Milliseconds spent queued, once a worker picked the job up. */
  delayTime?: number;
  /** Milliseconds of execution, once running or finished. */
  executionTime?: number;
  /** The handler's output when COMPLETED; the latest progress value while IN_PROGRESS. */
  output?: Output;
  /** The worker's error string when FAILED. */
  error?: string;
  /** The worker (pod) that ran the job. */
  workerId?: string;
  retries?: number;
}

/** `/stream/{id}`: the status and the chunks produced since the previous read. */
export interface StreamResponse<Chunk = unknown> {
  status: JobState;
  stream: Array<{ output: Chunk; [key: string]: unknown }>;
  id?: string;
}

/** `/health` (§B.4). */
export interface EndpointHealth {
  jobs: {
    completed: number;
    failed: number;
    inProgress: number;
    inQueue: number;
    retried: number;
  };
  workers: {
    idle: number;
    initializing: number;
    ready: number;
    running: number;
    throttled: number;
    unhealthy: number;
  };
}

/** `/purge-queue`. */
export interface PurgeQueueResponse {
  removed: number;
  status: string;
}

/** What a webhook receiver gets (§B.5): the status object plus the job's input and webhook. */
export interface WebhookPayload<Input = unknown, Output = unknown> extends JobStatus<Output> {
  input: Input;
  webhook: string;
}
