/**
 * Worker URL templates (§A.1.1). We substitute both placeholders everywhere the spec recommends: a
 * superset of the Python worker that yields identical bytes for well-formed templates.
 */

/** Job-take and ping: `$RUNPOD_POD_ID` and `$ID` both become the worker id. */
export function workerUrl(template: string, workerId: string): string {
  return template.replaceAll("$RUNPOD_POD_ID", workerId).replaceAll("$ID", workerId);
}

/** Job-done and job-stream: `$RUNPOD_POD_ID` → worker id first, then `$ID` → job id. */
export function jobUrl(template: string, workerId: string, jobId: string): string {
  return template.replaceAll("$RUNPOD_POD_ID", workerId).replaceAll("$ID", jobId);
}

/**
 * Appends `name=value` pairs in order with `&` when the URL already has a query, else `?`.
 * Values are percent-encoded as a query component (a comma becomes `%2C`, as Python's requests does).
 */
export function appendQuery(url: string, params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return url;
  const query = params
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return `${url}${url.includes("?") ? "&" : "?"}${query}`;
}

/** Swaps the `/job-take/` path segment (batch take and the stop channel); `undefined` if absent. */
export function swapJobTakeSegment(
  url: string,
  segment: "job-take-batch" | "job-stop",
): string | undefined {
  return url.includes("/job-take/") ? url.replace("/job-take/", `/${segment}/`) : undefined;
}
