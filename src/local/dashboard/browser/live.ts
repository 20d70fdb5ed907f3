/**
 * Live updates: the event stream, read with `fetch` rather than `EventSource` because only `fetch`
 * can send the key as a header; `/_dashboard/api/state` is polled while the stream is down.
 */
import type { DashboardChange, DashboardOverview, DashboardState } from "../view-model.js";
import { byId } from "./dom.js";
import { loadJob, reloadAfterCurrent, reloadJob } from "./job-data.js";
import { lock } from "./lock.js";
import { applyChange, applyOverview, applyState, model } from "./model.js";
import { api, Unauthorized } from "./platform.js";
import { render } from "./render.js";

export const POLL_MS = 2000;
const RETRY_MAX_MS = 30000;

let pollTimer: ReturnType<typeof setInterval> | undefined;
let retryDelay = 1000;

export type ConnectionMode = "live" | "polling" | "offline";

export function setConnection(mode: ConnectionMode, text: string): void {
  const status = byId("connection");
  status.dataset.mode = mode;
  status.textContent = text;
}

export async function connect(): Promise<void> {
  let res: Response;
  try {
    res = await api("/_dashboard/api/events", { headers: { Accept: "text/event-stream" } });
  } catch (error) {
    if (error instanceof Unauthorized) return lock();
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
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of frame.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0) onEvent(event, JSON.parse(data.join("\n")));
      end = buffer.indexOf("\n\n");
    }
  }
}

/** The stream's events, as `api-routes.ts` writes them. */
function handleEvent(event: string, data: unknown): void {
  if (event === "state") {
    applyState(data as DashboardState);
    if (model.openJob) void reloadJob();
  } else if (event === "overview") {
    applyOverview(data as DashboardOverview);
  } else if (event === "changes") {
    for (const change of data as DashboardChange[]) {
      const effect = applyChange(change);
      if (effect === "reload") void reloadJob();
      else if (effect === "reload-after-current") reloadAfterCurrent();
    }
  }
  render();
}

function fallBackToPolling(): void {
  setConnection("polling", "Polling (live stream unavailable)");
  if (pollTimer === undefined) {
    void poll();
    pollTimer = setInterval(poll, POLL_MS);
  }
  setTimeout(connect, retryDelay);
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
}

export function stopPolling(): void {
  clearInterval(pollTimer);
  pollTimer = undefined;
}

async function poll(): Promise<void> {
  try {
    const res = await api("/_dashboard/api/state");
    if (!res.ok) throw new Error(`state ${res.status}`);
    applyState(await res.json());
    const open = model.openJob;
    if (open) await loadJob(open.id);
    render();
  } catch (error) {
    if (error instanceof Unauthorized) {
      stopPolling();
      return lock();
    }
    setConnection("offline", "Platform unreachable; retrying");
  }
}
