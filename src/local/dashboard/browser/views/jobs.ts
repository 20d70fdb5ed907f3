/** The jobs table, filtered by status; rows are updated in place. */
import { byId, el } from "../dom.js";
import { age, duration, jobLink, statusBadge } from "../format.js";
import { model } from "../model.js";

const MAX_ROWS = 500;

export function renderJobs(): void {
  const filter = byId<HTMLSelectElement>("status-filter").value;
  const all = [...model.jobs.values()].sort((a, b) => b.createdAt - a.createdAt);
  const shown = all.filter((j) => filter === "" || j.status === filter);
  const rows = shown.slice(0, MAX_ROWS);
  const body = byId<HTMLTableSectionElement>("jobs-body");
  const existing = new Map([...body.rows].map((row) => [row.dataset.id, row]));
  rows.forEach((job, i) => {
    const row =
      existing.get(job.id) ??
      el("tr", { "data-id": job.id }, [
        el("td", {}, [jobLink(job.id)]),
        el("td"),
        el("td", { className: "num" }),
        el("td", { className: "num" }),
        el("td"),
        el("td", { className: "num" }),
      ]);
    existing.delete(job.id);
    const [, status, delay, execution, worker, created] = row.cells;
    row.dataset.status = job.status;
    status?.replaceChildren(statusBadge(job.status));
    if (delay) delay.textContent = duration(job.delayTime);
    if (execution) execution.textContent = duration(job.executionTime);
    if (worker) worker.textContent = job.workerId || "—";
    if (created) created.textContent = age(job.createdAt, model.clockOffset);
    // Move a row only when it is out of place, so a focused link keeps its focus.
    if (body.rows[i] !== row) body.insertBefore(row, body.rows[i] ?? null);
  });
  for (const row of existing.values()) row.remove();
  byId("jobs-empty").hidden = all.length > 0;
  byId("jobs-count").textContent =
    all.length === 0
      ? ""
      : `Showing ${rows.length} of ${shown.length}${filter ? ` ${filter}` : ""} jobs (${all.length} in total).`;
}
