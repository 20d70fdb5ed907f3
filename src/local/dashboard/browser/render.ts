import { byId } from "./dom.js";
import { model } from "./model.js";
import { currentRoute } from "./routes.js";
import { renderHealth } from "./views/health.js";
import { VIEWS } from "./views/index.js";

/** Draws the header, the health overview and the current view from the model. */
export function render(): void {
  byId("endpoint-id").textContent = model.endpointId;
  // The tab exists only when the platform runs a load-balancing endpoint.
  byId("tab-load-balancer").hidden = model.lbEndpoints.size === 0;
  renderHealth();
  VIEWS[currentRoute().name].render();
}
