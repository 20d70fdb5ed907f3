/** One job: its facts, input, output, error, stream chunks, progress and webhook attempts. */
import type { WorkerErrorDetails } from "../../../../core/job-errors.js";
import { byId, el, renderFacts, renderLog } from "../dom.js";
import { age, clock, compact, duration, pretty, statusBadge } from "../format.js";
import { loadJob, reloadJob } from "../job-data.js";
import { lock } from "../lock.js";
import { model } from "../model.js";
import { api, json, publicUrl, Unauthorized } from "../platform.js";

const ACTIVE = ["IN_QUEUE", "IN_PROGRESS"];
const RETRYABLE = ["FAILED", "TIMED_OUT"];

/** Switches the view to job `id`, with empty logs until its details arrive. */
export async function openJob(id: string): Promise<void> {
  if (model.openJob?.id === id) return;
  model.openJob = { id };
  byId("job-message").textContent = "";
  for (const log of ["job-chunks", "job-progress", "job-webhooks"]) byId(log).replaceChildren();
  await loadJob(id);
}

export function renderJob(): void {
  const open = model.openJob;
  if (!open) return;
  byId("job-id").textContent = open.id;
  byId("job-missing").hidden = !open.missing;
  byId("job-body").hidden = !open.details;
  const details = open.details;
  if (!details) return;
  const job = details.job;
  const submitted = `${clock(job.createdAt)} (${age(job.createdAt, model.clockOffset)}, ${job.sync ? "runsync" : "run"})`;
  renderFacts(byId("job-facts"), [
    ["Status", statusBadge(job.status)],
    ["Submitted", submitted],
    ["Delay", duration(job.delayTime)],
    ["Execution", duration(job.executionTime)],
    ["Worker", job.workerId || "—"],
    ["Retries", job.retries || 0],
    ["Webhook", job.webhook || "—"],
  ]);
  byId<HTMLButtonElement>("job-cancel").disabled = !ACTIVE.includes(job.status);
  byId<HTMLButtonElement>("job-retry").disabled = !RETRYABLE.includes(job.status);
  byId("job-input").textContent = pretty(job.input);
  byId("job-output").textContent = pretty(job.output);
  renderError(job.error, details.errorDetails);
  const history = details.history;
  const time = (at: number) => el("time", { text: clock(at) });
  renderLog(byId("job-chunks"), history.chunks, (c) => [
    time(c.at),
    el("code", { text: compact(c.output) }),
  ]);
  const dropped = history.droppedChunks ? `, ${history.droppedChunks} older ones dropped` : "";
  byId("job-chunk-count").textContent = `(${history.chunks.length}${dropped})`;
  renderLog(byId("job-progress"), history.progress, (p) => [
    time(p.at),
    el("code", { text: compact(p.output) }),
  ]);
  renderLog(byId("job-webhooks"), history.webhooks, (w) => [
    time(w.at),
    el("span", {
      text: `attempt ${w.attempt}: ${w.ok ? "delivered" : "failed"}${w.status ? ` (HTTP ${w.status})` : " (no answer)"} to ${w.url}`,
    }),
  ]);
}

/** The worker's JSON error string (type, message, traceback, host) laid out; others verbatim. */
function renderError(error: unknown, details: WorkerErrorDetails | undefined): void {
  byId("job-error-box").hidden = error === undefined;
  if (error === undefined) return;
  const box = byId("job-error");
  if (!details) {
    box.replaceChildren(el("pre", { text: pretty(error), tabindex: "0" }));
    return;
  }
  const parts: HTMLElement[] = [
    el("p", {}, [
      el("strong", { text: details.errorType || "Error" }),
      `: ${details.errorMessage || ""}`,
    ]),
  ];
  const origin = [
    details.workerId && `worker ${details.workerId}`,
    details.hostname && `host ${details.hostname}`,
    details.runpodVersion && `runpod ${details.runpodVersion}`,
  ].filter(Boolean);
  if (origin.length) parts.push(el("p", { className: "muted", text: `From ${origin.join(", ")}` }));
  if (details.errorTraceback) {
    parts.push(el("pre", { className: "traceback", text: details.errorTraceback, tabindex: "0" }));
  }
  box.replaceChildren(...parts);
}

/** Cancel or retry through the public API, as any client would. */
export async function jobAction(action: "cancel" | "retry"): Promise<void> {
  const open = model.openJob;
  if (!open) return;
  const message = byId("job-message");
  message.textContent = action === "cancel" ? "Cancelling…" : "Retrying…";
  try {
    const path = `/${action}/${encodeURIComponent(open.id)}`;
    const res = await api(publicUrl(model.endpointId, path), { method: "POST" });
    const body = await json(res);
    message.textContent = res.ok
      ? `Job is now ${body.status}.`
      : `Could not ${action}: ${body.error}`;
  } catch (error) {
    if (error instanceof Unauthorized) return lock();
    message.textContent = "Could not reach the platform.";
  }
  await reloadJob();
}
