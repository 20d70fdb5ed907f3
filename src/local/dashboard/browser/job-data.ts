/** The open job's details: one request at a time, and one more when a change arrives during it. */
import { lock } from "./lock.js";
import { model } from "./model.js";
import { api, Unauthorized } from "./platform.js";
import { render } from "./render.js";

let reloading = false;
let reloadAgain = false;

export async function loadJob(id: string): Promise<void> {
  try {
    const res = await api(`/_dashboard/api/jobs/${encodeURIComponent(id)}`);
    const open = model.openJob;
    if (open?.id !== id) return;
    open.details = res.ok ? await res.json() : undefined;
    open.missing = res.status === 404;
  } catch (error) {
    if (error instanceof Unauthorized) lock();
  }
}

/** Fetches the open job's details again, now or right after the request in flight. */
export async function reloadJob(): Promise<void> {
  if (reloading) {
    reloadAgain = true;
    return;
  }
  reloading = true;
  try {
    do {
      reloadAgain = false;
      const open = model.openJob;
      if (open) await loadJob(open.id);
    } while (reloadAgain);
  } finally {
    reloading = false;
  }
  render();
}

/** A change arrived that a details request in flight may not include. */
export function reloadAfterCurrent(): void {
  if (reloading) reloadAgain = true;
}
