/** The load-balancing endpoints, their workers and their latest requests (spec load-balancing.md §10). */
import { byId, el } from "../dom.js";
import { age, clock, duration, statusBadge } from "../format.js";
import { model } from "../model.js";

export function renderLoadBalancer(): void {
  const workers = [...model.lbWorkers.values()];
  byId("lb-endpoints-body").replaceChildren(
    ...[...model.lbEndpoints.values()].map((e) =>
      el("tr", { "data-id": e.id }, [
        el("td", {}, [el("code", { text: e.id })]),
        el("td", {}, [el("code", { text: e.url })]),
        el("td", {
          className: "num",
          text: String(workers.filter((w) => w.endpointId === e.id).length),
        }),
        el("td", { className: "num", text: age(e.createdAt, model.clockOffset) }),
      ]),
    ),
  );
  // Grouped by endpoint (in start order), then by worker number.
  const order = [...model.lbEndpoints.keys()];
  workers.sort(
    (a, b) =>
      order.indexOf(a.endpointId) - order.indexOf(b.endpointId) ||
      a.id.localeCompare(b.id, undefined, { numeric: true }),
  );
  byId("lb-workers-body").replaceChildren(
    ...workers.map((w) =>
      el("tr", { "data-id": w.id }, [
        el("td", {}, [el("code", { text: w.id })]),
        el("td", {}, [el("code", { text: w.endpointId })]),
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
        el("td", {}, [el("code", { text: r.endpointId })]),
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
