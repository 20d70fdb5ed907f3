/**
 * The views, switched by the URL hash so links, the back button and the keyboard work as on any
 * page. A new view: a route here, a render function in `views/`, an entry in `views/index.ts`, and
 * a `<section id="view-NAME">` plus a tab in the page shell.
 */
export type Route =
  | { name: "jobs" }
  | { name: "job"; id: string }
  | { name: "workers" }
  | { name: "load-balancer" }
  | { name: "batches" }
  | { name: "batch"; id: string }
  | { name: "submit" };

export type ViewName = Route["name"];

export function currentRoute(): Route {
  const hash = location.hash;
  if (hash.startsWith("#/jobs/")) return { name: "job", id: decodeURIComponent(hash.slice(7)) };
  if (hash === "#/workers") return { name: "workers" };
  if (hash === "#/load-balancer") return { name: "load-balancer" };
  if (hash.startsWith("#/batches/")) {
    return { name: "batch", id: decodeURIComponent(hash.slice(10)) };
  }
  if (hash === "#/batches") return { name: "batches" };
  if (hash === "#/submit") return { name: "submit" };
  return { name: "jobs" };
}

/** The tab a view belongs to (a job's view sits under Jobs, a batch's under Batches). */
export function tabOf(view: ViewName): ViewName {
  return view === "job" ? "jobs" : view === "batch" ? "batches" : view;
}
