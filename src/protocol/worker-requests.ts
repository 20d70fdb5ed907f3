/**
 * URLs and response shapes of the worker's own requests (§A.3, §A.7, §A.8). Pure: the worker's
 * transports and the local platform's worker routes both build on these.
 */
import { appendQuery, swapJobTakeSegment } from "./urls.js";

/** job-take for one job, job-take-batch for more (§A.3), with the occupancy flag. */
export function jobTakeUrl(takeUrl: string, count: number, jobInProgress: boolean): string {
  const flag = jobInProgress ? "1" : "0";
  if (count > 1) {
    const batch = swapJobTakeSegment(takeUrl, "job-take-batch");
    if (batch !== undefined) {
      return appendQuery(batch, [
        ["batch_size", String(count)],
        ["job_in_progress", flag],
      ]);
    }
  }
  return appendQuery(takeUrl, [["job_in_progress", flag]]);
}

/** The job-stop long poll (§A.8): no extra parameters; `undefined` when the template has no `/job-take/`. */
export function jobStopUrl(takeUrl: string): string | undefined {
  return swapJobTakeSegment(takeUrl, "job-stop");
}

/** Marker the heartbeat thread replaces with the encoded in-progress ids. */
export const PING_JOB_IDS_MARKER = "__RUNPOD_JOB_IDS__";

/**
 * Heartbeat URLs (§A.7): `job_id=<ids joined by ",">` (omitted when idle) then `runpod_version`.
 * `busy` holds `PING_JOB_IDS_MARKER` where `encodeURIComponent(ids.join(","))` goes.
 */
export function pingUrls(pingUrl: string, version: string): { idle: string; busy: string } {
  return {
    idle: appendQuery(pingUrl, [["runpod_version", version]]),
    busy: appendQuery(pingUrl, [
      ["job_id", PING_JOB_IDS_MARKER],
      ["runpod_version", version],
    ]),
  };
}

/** One-shot unhealthy report after a failed fitness check (§A.7), reason cut to 256 characters. */
export function unhealthyPingUrl(pingUrl: string, check: string, reason: string, version: string) {
  return appendQuery(pingUrl, [
    ["status", "unhealthy"],
    ["check", check],
    ["reason", reason.slice(0, 256)],
    ["runpod_version", version],
  ]);
}

/** A job as job-take must deliver it: an object with `id` (string) and `input` (§A.3). */
function isJobObject(v: unknown): v is { id: string; input: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { id?: unknown }).id === "string" &&
    "input" in v
  );
}

export type TakeResult =
  | {
      kind: "jobs";
      jobs: Array<{ id: string; input: unknown; [key: string]: unknown }>;
      /** Batch elements without `id`/`input`, left out. */
      dropped: number;
    }
  | { kind: "none" }
  | { kind: "invalid"; reason: string };

/**
 * Interprets a 2xx job-take answer (§A.3 table): non-JSON content type, empty or unparsable body,
 * `null` or a scalar → no job; an object must have `id` and `input`; an array is a batch
 * (elements without `id`/`input` are left out and counted rather than handed to the handler).
 */
export function parseTakeResponse(contentType: string | undefined, text: string): TakeResult {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" || text.length === 0) return { kind: "none" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "none" };
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return { kind: "none" };
    const jobs = parsed.filter(isJobObject);
    if (jobs.length === 0) return { kind: "invalid", reason: "no batch element has id and input" };
    return { kind: "jobs", jobs, dropped: parsed.length - jobs.length };
  }
  if (typeof parsed !== "object" || parsed === null) return { kind: "none" };
  if (!isJobObject(parsed)) return { kind: "invalid", reason: "job object lacks id or input" };
  return { kind: "jobs", jobs: [parsed], dropped: 0 };
}

/** The job-stop answer (§A.8): string ids from `{"jobsToStop": [...]}`, else none. */
export function parseStopResponse(contentType: string | undefined, text: string): string[] {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" || text.length === 0) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return [];
    const ids = (parsed as { jobsToStop?: unknown }).jobsToStop;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}
