/** The load balancer's workers and its latest requests (spec load-balancing.md §10). */
import { byId, el } from "../dom.js";
import { age, clock, duration, statusBadge } from "../format.js";
import { model } from "../model.js";

export function renderLoadBalancer(): void {
  byId("lb-url").textContent = model.loadBalancerUrl ?? "—";
  const workers = [...model.lbWorkers.values()].sort((a, b) => a.id.localeCompare(b.id));
  byId("lb-workers-body").replaceChildren(
    ...workers.map((w) =>
      el("tr", { "data-id": w.id }, [
        el("td", {}, [el("code", { text: w.id })]),
        el("td", {}, [statusBadge(w.state)]),
        el("td", { className: "num", text: String(w.inFlight) }),
        el("td", { className: "num", text: String(w.served) }),
        el("td", { className: "num", text: duration(w.coldStartMs) }),
        el("td", {
          className: "num",
          text: w.lastRequestAt === undefined ? "—" : age(w.lastRequestAt, model.clockOffset),
        }),
        el("td", { text: `${w.port}${w.healthPort === w.port ? "" : ` / ${w.healthPort}`}` }),
        el("td", { text: w.unhealthyReason ?? "—" }),
      ]),
    ),
  );
  byId("lb-workers-empty").hidden = workers.length > 0;
  const requests = [...model.lbRequests].reverse();
  byId("lb-requests-body").replaceChildren(
    ...requests.map((r) =>
      el("tr", {}, [
        el("td", { text: clock(r.startedAt) }),
        el("td", { text: r.method }),
        el("td", {}, [el("code", { text: r.path })]),
        el("td", { className: "num", text: r.status === undefined ? "cut" : String(r.status) }),
        el("td", {}, r.workerId === undefined ? ["—"] : [el("code", { text: r.workerId })]),
        el("td", { className: "num", text: duration(r.waitMs) }),
        el("td", { className: "num", text: duration(r.durationMs) }),
        el("td", { text: r.error ?? "—" }),
      ]),
    ),
  );
  byId("lb-requests-empty").hidden = requests.length > 0;
}
