/**
 * Batch Jobs: every batch with its state, counts and progress, and one batch with its requests,
 * each linking to its job's view. Read from the endpoint's own `/batch` routes (with the page's
 * key), a request at a time, when the view is drawn (on every change and each second).
 */
import type { BatchRequestsPage, BatchSummary } from "../../../../protocol/batch.js";
import { byId, el, renderFacts } from "../dom.js";
import { age, jobLink, statusBadge } from "../format.js";
import { lock } from "../lock.js";
import { model } from "../model.js";
import { api, publicUrl, Unauthorized } from "../platform.js";
import { currentRoute } from "../routes.js";

/** Requests one batch view lists: the first page; the API pages the rest. */
const SHOWN = 200;

interface OpenBatch {
  id: string;
  summary?: BatchSummary;
  page?: BatchRequestsPage;
  /** The platform answered 404: no such batch, or it expired. */
  missing?: boolean;
}

let list: BatchSummary[] | undefined;
let open: OpenBatch | undefined;
let inFlight = false;

const finished = (s: BatchSummary) => s.requestCompleted + s.requestFailed;

function progress(s: BatchSummary): HTMLElement {
  return el("span", { className: "batch-progress" }, [
    el("progress", {
      max: String(Math.max(1, s.requestTotal)),
      value: String(finished(s)),
      "aria-label": `${finished(s)} of ${s.requestTotal} requests finished`,
    }),
    ` ${finished(s)}/${s.requestTotal}`,
  ]);
}

function counts(s: BatchSummary): string {
  const queued = s.requestTotal - s.requestInProgress - finished(s);
  return `${s.requestCompleted} completed · ${s.requestFailed} failed · ${s.requestInProgress} running · ${queued} queued`;
}

async function refresh(): Promise<void> {
  if (inFlight) return;
  inFlight = true;
  try {
    const route = currentRoute();
    if (route.name === "batches") {
      const res = await api(publicUrl(model.endpointId, "/batch"));
      list = res.ok ? ((await res.json()) as BatchSummary[]) : [];
      drawList();
    } else if (route.name === "batch") {
      const base = publicUrl(model.endpointId, `/batch/${encodeURIComponent(route.id)}`);
      const res = await api(base);
      if (!res.ok) open = { id: route.id, missing: true };
      else {
        const summary = (await res.json()) as BatchSummary;
        const page = await api(`${base}/requests?limit=${SHOWN}`);
        open = { id: route.id, summary };
        if (page.ok) open.page = (await page.json()) as BatchRequestsPage;
      }
      drawBatch();
    }
  } catch (error) {
    if (error instanceof Unauthorized) lock();
  } finally {
    inFlight = false;
  }
}

function drawList(): void {
  const rows = list ?? [];
  byId("batches-body").replaceChildren(
    ...rows.map((b) =>
      el("tr", { "data-id": b.id }, [
        el("td", {}, [
          el("a", { href: `#/batches/${encodeURIComponent(b.id)}` }, [el("code", { text: b.id })]),
        ]),
        el("td", { text: b.name ?? "—" }),
        el("td", {}, [statusBadge(b.status)]),
        el("td", {}, [progress(b)]),
        el("td", { text: counts(b) }),
        el("td", { className: "num", text: age(b.createdAt, model.clockOffset) }),
      ]),
    ),
  );
  byId("batches-empty").hidden = list === undefined || rows.length > 0;
}

function drawBatch(): void {
  const route = currentRoute();
  const id = route.name === "batch" ? route.id : "";
  byId("batch-id").textContent = id;
  const shown = open?.id === id ? open : undefined;
  byId("batch-missing").hidden = !shown?.missing;
  const s = shown?.summary;
  renderFacts(
    byId("batch-facts"),
    s
      ? [
          ["Status", statusBadge(s.status)],
          ["Name", s.name ?? "—"],
          ["Progress", progress(s)],
          ["Requests", counts(s)],
          ["Created", age(s.createdAt, model.clockOffset)],
        ]
      : [],
  );
  const page = shown?.page;
  byId("batch-requests-body").replaceChildren(
    ...(page?.requests ?? []).map((r) =>
      el("tr", { "data-id": r.id }, [
        // A request's id is its job's id: DRAFT requests have no job yet.
        el("td", {}, [r.status === "DRAFT" ? el("code", { text: r.id }) : jobLink(r.id)]),
        el("td", {}, [statusBadge(r.status)]),
        el("td", { text: r.startedAt ?? "—" }),
        el("td", { text: r.completedAt ?? "—" }),
        el("td", { text: r.error ?? "—" }),
      ]),
    ),
  );
  const more = page && page.total > page.requests.length;
  byId("batch-more").hidden = !more;
  if (page && more) {
    byId("batch-more").textContent =
      `Showing the first ${page.requests.length} of ${page.total} requests; page through the rest with GET /batch/${id}/requests?offset=…`;
  }
}

export function renderBatches(): void {
  drawList();
  void refresh();
}

export function renderBatch(): void {
  drawBatch();
  void refresh();
}
