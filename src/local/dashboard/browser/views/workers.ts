/** The queue workers the platform has heard from. */
import { byId, el } from "../dom.js";
import { age, jobLink, statusBadge } from "../format.js";
import { model } from "../model.js";

export function renderWorkers(): void {
  const workers = [...model.workers.values()].sort((a, b) => a.id.localeCompare(b.id));
  byId("workers-body").replaceChildren(
    ...workers.map((w) => {
      const notes: string[] = [];
      if (w.unhealthyReason) notes.push(`unhealthy: ${w.unhealthyReason}`);
      if (w.refreshRequested) notes.push("asked to be refreshed (stopPod)");
      const jobs =
        w.jobs.length === 0
          ? ["—"]
          : w.jobs.flatMap((id, i) => (i ? [" ", jobLink(id)] : [jobLink(id)]));
      return el("tr", { "data-id": w.id }, [
        el("td", {}, [el("code", { text: w.id })]),
        el("td", {}, [statusBadge(w.state)]),
        el("td", {}, jobs),
        el("td", { className: "num", text: age(w.lastSeen, model.clockOffset) }),
        el("td", { text: w.version || "—" }),
        el("td", { text: notes.join("; ") || "—" }),
      ]);
    }),
  );
  byId("workers-empty").hidden = workers.length > 0;
}
