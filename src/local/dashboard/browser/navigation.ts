import { byId } from "./dom.js";
import { model } from "./model.js";
import { render } from "./render.js";
import { currentRoute, tabOf, type ViewName } from "./routes.js";
import { VIEWS } from "./views/index.js";
import { openJob } from "./views/job.js";

/** Shows the hash's view. On navigation (not on load), focus goes to its heading, as a page load would. */
export async function showView(moveFocus: boolean): Promise<void> {
  const route = currentRoute();
  for (const name of Object.keys(VIEWS)) byId(`view-${name}`).hidden = route.name !== name;
  for (const link of document.querySelectorAll<HTMLAnchorElement>(".tabs a")) {
    if (link.dataset.view === tabOf(route.name)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (route.name === "job") await openJob(route.id);
  else model.openJob = undefined;
  render();
  if (moveFocus)
    byId(`view-${route.name satisfies ViewName}`)
      .querySelector("h2")
      ?.focus();
}
