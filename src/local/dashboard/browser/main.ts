/**
 * The dashboard page's script, bundled into the platform (see `../dashboard-script.ts`). It
 * renders with `textContent` only: job data comes from workers and must never become markup.
 */
import { byId } from "./dom.js";
import { connect, POLL_MS, setConnection } from "./live.js";
import { lock } from "./lock.js";
import { applyState } from "./model.js";
import { showView } from "./navigation.js";
import { api, KEY_STORAGE, Unauthorized } from "./platform.js";
import { render } from "./render.js";
import { jobAction } from "./views/job.js";
import { readInput, showInputError, submitJob } from "./views/submit.js";

async function start(): Promise<void> {
  try {
    const res = await api("/_dashboard/api/state");
    if (!res.ok) throw new Error(`state ${res.status}`);
    applyState(await res.json());
  } catch (error) {
    if (error instanceof Unauthorized) return lock();
    setConnection("offline", "Platform unreachable; retrying");
    setTimeout(start, POLL_MS);
    return;
  }
  byId("auth").hidden = true;
  byId("main").hidden = false;
  await showView(false);
  void connect();
}

byId("auth-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = byId<HTMLInputElement>("api-key");
  sessionStorage.setItem(KEY_STORAGE, key.value);
  key.value = "";
  void start();
});
byId("submit-form").addEventListener("submit", submitJob);
byId("submit-input").addEventListener("input", () => showInputError(readInput().error));
byId("status-filter").addEventListener("change", render);
byId("job-cancel").addEventListener("click", () => jobAction("cancel"));
byId("job-retry").addEventListener("click", () => jobAction("retry"));
window.addEventListener("hashchange", () => showView(true));
// Ages and last-seen times move on even when nothing happens.
setInterval(render, 1000);
void start();
