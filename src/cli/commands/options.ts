/** Commander helpers shared by the group modules (kept dependency-free: they load for `--help`). */

/** Parser for a repeatable flag: each occurrence is appended to the list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--base-url` of the commands that call an endpoint's serverless API. */
export const BASE_URL_HELP =
  "base URL of the serverless API, e.g. http://127.0.0.1:8000/v2 for `runpod-ts dev` (default: RUNPOD_ENDPOINT_BASE_URL, else https://api.runpod.ai/v2)";
