/**
 * The page's script, plain modern JavaScript with no dependency. It renders with `textContent`
 * only (job data comes from workers and must never become markup), reads the event stream with
 * `fetch` rather than `EventSource` because only `fetch` can send the API key as a header, and
 * polls `/_dashboard/api/state` while the stream is unavailable.
 */
export const DASHBOARD_JS = String.raw`
"use strict";

const KEY_STORAGE = "runpod-ts-dashboard-key";
const POLL_MS = 2000;
const RETRY_MAX_MS = 30000;
const MAX_ROWS = 500;
const ACTIVE = ["IN_QUEUE", "IN_PROGRESS"];
const RETRYABLE = ["FAILED", "TIMED_OUT"];

const $ = (id) => document.getElementById(id);

const model = {
  endpointId: "",
  clockOffset: 0,
  health: undefined,
  metrics: undefined,
  jobs: new Map(),
  workers: new Map(),
};
/** The job view's data: details from the API plus chunks and updates that arrived since. */
let openJob;

// ---- talking to the platform ---------------------------------------------------------------

class Unauthorized extends Error {}

function authHeaders() {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: "Bearer " + key } : {};
}

async function api(path, init = {}) {
  const headers = { ...authHeaders(), ...(init.headers || {}) };
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) throw new Unauthorized();
  return res;
}

async function json(res) {
  const text = await res.text();
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    return { error: "the platform answered " + res.status + " with a body that is not JSON" };
  }
}

function publicUrl(path) {
  return "/v2/" + encodeURIComponent(model.endpointId) + path;
}

// ---- live updates: the event stream, or polling while it is down ---------------------------

let pollTimer;
let retryDelay = 1000;

function setConnection(mode, text) {
  const el = $("connection");
  el.dataset.mode = mode;
  el.textContent = text;
}

async function connect() {
  let res;
  try {
    res = await api("/_dashboard/api/events", { headers: { Accept: "text/event-stream" } });
  } catch (error) {
    if (error instanceof Unauthorized) return askForKey();
    return fallBackToPolling();
  }
  if (!res.ok || !res.body) return fallBackToPolling();
  stopPolling();
  retryDelay = 1000;
  setConnection("live", "Live");
  try {
    await readEvents(res.body, handleEvent);
  } catch {
    // The connection dropped; polling covers the gap until the stream is back.
  }
  fallBackToPolling();
}

/** Parses text/event-stream frames: "event:" and "data:" lines ended by a blank line. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of frame.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0) onEvent(event, JSON.parse(data.join("\n")));
      end = buffer.indexOf("\n\n");
    }
  }
}

function handleEvent(event, data) {
  if (event === "state") {
    applyState(data);
    if (openJob) scheduleJobReload();
  }
  else if (event === "overview") applyOverview(data);
  else if (event === "changes") for (const change of data) applyChange(change);
  render();
}

function fallBackToPolling() {
  setConnection("polling", "Polling (live stream unavailable)");
  if (pollTimer === undefined) {
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  }
  setTimeout(connect, retryDelay);
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = undefined;
}

async function poll() {
  try {
    const res = await api("/_dashboard/api/state");
    if (!res.ok) throw new Error("state " + res.status);
    applyState(await res.json());
    if (openJob) await loadJob(openJob.id);
    render();
  } catch (error) {
    if (error instanceof Unauthorized) {
      stopPolling();
      return askForKey();
    }
    setConnection("offline", "Platform unreachable; retrying");
  }
}

// ---- the model -----------------------------------------------------------------------------

function applyOverview(data) {
  model.clockOffset = data.now - Date.now();
  model.health = data.health;
  model.metrics = data.metrics;
  model.workers = new Map(data.workers.map((w) => [w.id, w]));
}

function applyState(data) {
  model.endpointId = data.endpointId;
  model.jobs = new Map(data.jobs.map((j) => [j.id, j]));
  applyOverview(data);
}

function applyChange(change) {
  switch (change.type) {
    case "job":
      model.jobs.set(change.job.id, change.job);
      if (openJob && openJob.id === change.job.id) scheduleJobReload();
      break;
    case "job-removed":
      model.jobs.delete(change.id);
      if (openJob && openJob.id === change.id) scheduleJobReload();
      break;
    case "chunk":
    case "progress":
    case "webhook":
      // A details request in flight may predate this entry: ask for a fresh copy after it.
      if (openJob && openJob.id === change.id && reloading) reloadAgain = true;
      if (openJob && openJob.id === change.id && openJob.details) {
        const history = openJob.details.history;
        const list =
          change.type === "chunk"
            ? history.chunks
            : change.type === "progress"
              ? history.progress
              : history.webhooks;
        // The details snapshot may already hold this entry (it was taken after the change was
        // queued): append only the one that comes next; after a gap, fetch a fresh copy.
        const next = list.length > 0 ? list[list.length - 1].seq + 1 : 0;
        if (change.seq === next) list.push(change);
        else if (change.seq > next) scheduleJobReload();
      }
      break;
    case "worker":
      model.workers.set(change.worker.id, change.worker);
      break;
    case "worker-removed":
      model.workers.delete(change.id);
      break;
  }
}

// ---- the job view's data -------------------------------------------------------------------

let reloading = false;
let reloadAgain = false;

/** One details request at a time; a change during it asks for one more. */
async function scheduleJobReload() {
  if (reloading) {
    reloadAgain = true;
    return;
  }
  reloading = true;
  try {
    do {
      reloadAgain = false;
      if (openJob) await loadJob(openJob.id);
    } while (reloadAgain);
  } finally {
    reloading = false;
  }
  render();
}

async function loadJob(id) {
  try {
    const res = await api("/_dashboard/api/jobs/" + encodeURIComponent(id));
    if (!openJob || openJob.id !== id) return;
    openJob.details = res.ok ? await res.json() : undefined;
    openJob.missing = res.status === 404;
  } catch (error) {
    if (error instanceof Unauthorized) askForKey();
  }
}

// ---- rendering -----------------------------------------------------------------------------

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function pretty(value) {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** One line per entry in the logs, where chunks are usually small. */
function compact(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function duration(ms) {
  if (ms === undefined) return "—";
  if (ms < 1000) return ms + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
  return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
}

function age(epochMs) {
  const seconds = Math.max(0, Math.round((Date.now() + model.clockOffset - epochMs) / 1000));
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
  return Math.floor(seconds / 3600) + " h ago";
}

function clock(epochMs) {
  return new Date(epochMs).toLocaleTimeString();
}

function statusBadge(status) {
  return el("span", { className: "status status-" + status, text: status });
}

function jobLink(id) {
  return el("a", { href: "#/jobs/" + encodeURIComponent(id) }, [el("code", { text: id })]);
}

function render() {
  $("endpoint-id").textContent = model.endpointId;
  renderHealth();
  renderChart();
  const view = currentView();
  if (view.name === "jobs") renderJobs();
  if (view.name === "job") renderJob();
  if (view.name === "workers") renderWorkers();
}

function renderFacts(dl, facts) {
  dl.replaceChildren(
    ...facts.flatMap(([name, value]) => [
      el("dt", { text: name }),
      el("dd", {}, [value instanceof Node ? value : String(value)]),
    ]),
  );
}

function renderHealth() {
  if (!model.health) return;
  renderFacts($("health-jobs"), Object.entries(model.health.jobs).map(([k, v]) => ["jobs." + k, v]));
  renderFacts(
    $("health-workers"),
    Object.entries(model.health.workers).map(([k, v]) => ["workers." + k, v]),
  );
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

/** Bars: jobs finished per second in each bucket; line: their mean latency (own scale). */
function renderChart() {
  const metrics = model.metrics;
  if (!metrics) return;
  const buckets = metrics.buckets;
  const seconds = metrics.bucketMs / 1000;
  const width = 300;
  const height = 90;
  const slot = width / buckets.length;
  const rates = buckets.map((b) => b.finished / seconds);
  const maxRate = Math.max(...rates, 0.1);
  const latencies = buckets.map((b) => b.latencyMs).filter((v) => v !== undefined);
  const maxLatency = Math.max(...latencies, 1);
  const nodes = [svg("line", { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: "axis" })];
  buckets.forEach((b, i) => {
    const h = (rates[i] / maxRate) * (height - 6);
    if (h > 0) {
      nodes.push(svg("rect", { x: i * slot + 1, y: height - h, width: slot - 2, height: h, class: "bar" }));
    }
  });
  const points = buckets
    .map((b, i) => (b.latencyMs === undefined ? undefined : [i * slot + slot / 2, b.latencyMs]))
    .filter((p) => p !== undefined)
    .map(([x, v]) => x + "," + (height - 3 - (v / maxLatency) * (height - 10)));
  if (points.length > 0) nodes.push(svg("polyline", { points: points.join(" "), class: "latency" }));
  $("chart").replaceChildren(...nodes);

  const minutes = Math.round((buckets.length * metrics.bucketMs) / 60000);
  const finished = buckets.reduce((sum, b) => sum + b.finished, 0);
  const last = buckets.at(-1);
  const timed = buckets.filter((b) => b.latencyMs !== undefined);
  const meanLatency =
    timed.length === 0
      ? undefined
      : Math.round(timed.reduce((s, b) => s + b.latencyMs * b.finished, 0) / timed.reduce((s, b) => s + b.finished, 0));
  $("chart-summary").textContent =
    "Last " + minutes + " min: " + finished + " jobs finished (now " + (last.finished / seconds).toFixed(1) +
    " jobs/s), mean latency " + duration(meanLatency) + ". Bars: jobs/s per " + seconds +
    " s; line: mean latency (queue + execution), max " + duration(latencies.length ? maxLatency : undefined) + ".";
}

function renderJobs() {
  const filter = $("status-filter").value;
  const all = [...model.jobs.values()].sort((a, b) => b.createdAt - a.createdAt);
  const shown = all.filter((j) => filter === "" || j.status === filter);
  const rows = shown.slice(0, MAX_ROWS);
  const body = $("jobs-body");
  const existing = new Map([...body.rows].map((row) => [row.dataset.id, row]));
  rows.forEach((job, i) => {
    let row = existing.get(job.id);
    if (!row) {
      row = el("tr", { "data-id": job.id }, [
        el("td", {}, [jobLink(job.id)]),
        el("td"),
        el("td", { className: "num" }),
        el("td", { className: "num" }),
        el("td"),
        el("td", { className: "num" }),
      ]);
    }
    existing.delete(job.id);
    const cells = row.cells;
    row.dataset.status = job.status;
    cells[1].replaceChildren(statusBadge(job.status));
    cells[2].textContent = duration(job.delayTime);
    cells[3].textContent = duration(job.executionTime);
    cells[4].textContent = job.workerId || "—";
    cells[5].textContent = age(job.createdAt);
    // Move a row only when it is out of place, so a focused link keeps its focus.
    if (body.rows[i] !== row) body.insertBefore(row, body.rows[i] || null);
  });
  for (const row of existing.values()) row.remove();
  $("jobs-empty").hidden = all.length > 0;
  $("jobs-count").textContent =
    all.length === 0
      ? ""
      : "Showing " + rows.length + " of " + shown.length + (filter ? " " + filter : "") + " jobs (" + all.length + " in total).";
}

function renderWorkers() {
  const workers = [...model.workers.values()].sort((a, b) => a.id.localeCompare(b.id));
  $("workers-body").replaceChildren(
    ...workers.map((w) => {
      const notes = [];
      if (w.unhealthyReason) notes.push("unhealthy: " + w.unhealthyReason);
      if (w.refreshRequested) notes.push("asked to be refreshed (stopPod)");
      const jobs = w.jobs.length === 0 ? ["—"] : w.jobs.flatMap((id, i) => (i ? [" ", jobLink(id)] : [jobLink(id)]));
      return el("tr", { "data-id": w.id }, [
        el("td", {}, [el("code", { text: w.id })]),
        el("td", {}, [statusBadge(w.state)]),
        el("td", {}, jobs),
        el("td", { className: "num", text: age(w.lastSeen) }),
        el("td", { text: w.version || "—" }),
        el("td", { text: notes.join("; ") || "—" }),
      ]);
    }),
  );
  $("workers-empty").hidden = workers.length > 0;
}

function renderLog(list, entries, describe) {
  if (list.children.length > entries.length) list.replaceChildren();
  // Append only what is new, so a screen reader announces just the new chunks.
  for (const entry of entries.slice(list.children.length)) {
    list.append(el("li", {}, [el("time", { text: clock(entry.at) }), ...describe(entry)]));
  }
}

function renderJob() {
  $("job-id").textContent = openJob.id;
  $("job-missing").hidden = !openJob.missing;
  $("job-body").hidden = !openJob.details;
  const details = openJob.details;
  if (!details) return;
  const job = details.job;
  renderFacts($("job-facts"), [
    ["Status", statusBadge(job.status)],
    ["Submitted", clock(job.createdAt) + " (" + age(job.createdAt) + ", " + (job.sync ? "runsync" : "run") + ")"],
    ["Delay", duration(job.delayTime)],
    ["Execution", duration(job.executionTime)],
    ["Worker", job.workerId || "—"],
    ["Retries", job.retries || 0],
    ["Webhook", job.webhook || "—"],
  ]);
  $("job-cancel").disabled = !ACTIVE.includes(job.status);
  $("job-retry").disabled = !RETRYABLE.includes(job.status);
  $("job-input").textContent = pretty(job.input);
  $("job-output").textContent = pretty(job.output);
  renderError(job.error, details.errorDetails);
  const history = details.history;
  renderLog($("job-chunks"), history.chunks, (c) => [el("code", { text: compact(c.output) })]);
  $("job-chunk-count").textContent =
    "(" + history.chunks.length + (history.droppedChunks ? ", " + history.droppedChunks + " older ones dropped" : "") + ")";
  renderLog($("job-progress"), history.progress, (p) => [el("code", { text: compact(p.output) })]);
  renderLog($("job-webhooks"), history.webhooks, (w) => [
    el("span", { text: "attempt " + w.attempt + ": " + (w.ok ? "delivered" : "failed") + (w.status ? " (HTTP " + w.status + ")" : " (no answer)") + " to " + w.url }),
  ]);
}

/** The worker's JSON error string (type, message, traceback, host) laid out; others verbatim. */
function renderError(error, details) {
  const box = $("job-error-box");
  box.hidden = error === undefined;
  if (error === undefined) return;
  if (!details) {
    $("job-error").replaceChildren(el("pre", { text: pretty(error), tabindex: "0" }));
    return;
  }
  const parts = [el("p", {}, [el("strong", { text: details.errorType || "Error" }), ": " + (details.errorMessage || "")])];
  const origin = [
    details.workerId && "worker " + details.workerId,
    details.hostname && "host " + details.hostname,
    details.runpodVersion && "runpod " + details.runpodVersion,
  ].filter(Boolean);
  if (origin.length) parts.push(el("p", { className: "muted", text: "From " + origin.join(", ") }));
  if (details.errorTraceback) parts.push(el("pre", { className: "traceback", text: details.errorTraceback, tabindex: "0" }));
  $("job-error").replaceChildren(...parts);
}

// ---- views ---------------------------------------------------------------------------------

function currentView() {
  const hash = location.hash;
  if (hash.startsWith("#/jobs/")) return { name: "job", id: decodeURIComponent(hash.slice(7)) };
  if (hash === "#/workers") return { name: "workers" };
  if (hash === "#/submit") return { name: "submit" };
  return { name: "jobs" };
}

/** On navigation (not on load), focus goes to the new view's heading, as a page load would. */
async function showView(moveFocus) {
  const view = currentView();
  for (const name of ["jobs", "job", "workers", "submit"]) $("view-" + name).hidden = view.name !== name;
  for (const link of document.querySelectorAll(".tabs a")) {
    const current = link.dataset.view === view.name || (view.name === "job" && link.dataset.view === "jobs");
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (view.name === "job" && (!openJob || openJob.id !== view.id)) {
    openJob = { id: view.id };
    $("job-message").textContent = "";
    for (const id of ["job-chunks", "job-progress", "job-webhooks"]) $(id).replaceChildren();
    await loadJob(view.id);
  } else if (view.name !== "job") {
    openJob = undefined;
  }
  render();
  if (moveFocus === true) $("view-" + view.name).querySelector("h2").focus();
}

// ---- actions -------------------------------------------------------------------------------

async function jobAction(action) {
  if (!openJob) return;
  const message = $("job-message");
  message.textContent = action === "cancel" ? "Cancelling…" : "Retrying…";
  try {
    const res = await api(publicUrl("/" + action + "/" + encodeURIComponent(openJob.id)), { method: "POST" });
    const body = await json(res);
    message.textContent = res.ok ? "Job is now " + body.status + "." : "Could not " + action + ": " + body.error;
  } catch (error) {
    if (error instanceof Unauthorized) return askForKey();
    message.textContent = "Could not reach the platform.";
  }
  await scheduleJobReload();
}

/** The handler contract wants a JSON object; the platform checks the same again. */
function readInput() {
  const text = $("submit-input").value;
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: "Not valid JSON: " + error.message };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { error: "The input must be a JSON object, like {\"prompt\": \"hi\"}." };
  }
  return { value };
}

function showInputError(message) {
  $("submit-error").textContent = message || "";
  $("submit-input").setAttribute("aria-invalid", message ? "true" : "false");
}

async function submitJob(event) {
  event.preventDefault();
  const input = readInput();
  showInputError(input.error);
  if (input.error) {
    $("submit-input").focus();
    return;
  }
  const mode = new FormData($("submit-form")).get("mode") === "runsync" ? "runsync" : "run";
  const status = $("submit-status");
  const button = $("submit-button");
  button.disabled = true;
  status.textContent = mode === "runsync" ? "Waiting for the result…" : "Submitting…";
  try {
    const res = await api(publicUrl("/" + mode), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ input: input.value }),
    });
    const body = await json(res);
    if (!res.ok) {
      status.textContent = "";
      showInputError("The platform refused the job: " + body.error);
      return;
    }
    status.textContent = "Submitted job " + body.id + " (" + body.status + ").";
    location.hash = "#/jobs/" + encodeURIComponent(body.id);
  } catch (error) {
    if (error instanceof Unauthorized) return askForKey();
    status.textContent = "Could not reach the platform.";
  } finally {
    button.disabled = false;
  }
}

// ---- start-up and the API key --------------------------------------------------------------

function askForKey(message) {
  stopPolling();
  $("main").hidden = true;
  $("auth").hidden = false;
  setConnection("offline", "Locked");
  $("auth-error").textContent =
    message || (sessionStorage.getItem(KEY_STORAGE) ? "That key was refused." : "");
  $("api-key").focus();
}

async function start() {
  try {
    const res = await api("/_dashboard/api/state");
    if (!res.ok) throw new Error("state " + res.status);
    applyState(await res.json());
  } catch (error) {
    if (error instanceof Unauthorized) return askForKey();
    setConnection("offline", "Platform unreachable; retrying");
    setTimeout(start, POLL_MS);
    return;
  }
  $("auth").hidden = true;
  $("main").hidden = false;
  await showView();
  connect();
}

$("auth-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, $("api-key").value);
  $("api-key").value = "";
  start();
});
$("submit-form").addEventListener("submit", submitJob);
$("submit-input").addEventListener("input", () => showInputError(readInput().error));
$("status-filter").addEventListener("change", render);
$("job-cancel").addEventListener("click", () => jobAction("cancel"));
$("job-retry").addEventListener("click", () => jobAction("retry"));
window.addEventListener("hashchange", () => showView(true));
// Ages and last-seen times move on even when nothing happens.
setInterval(render, 1000);
start();
`;
