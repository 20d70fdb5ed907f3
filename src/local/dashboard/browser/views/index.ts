import type { ViewName } from "../routes.js";
import { renderBatch, renderBatches } from "./batches.js";
import { renderJob } from "./job.js";
import { renderJobs } from "./jobs.js";
import { renderLoadBalancer } from "./load-balancer.js";
import { renderWorkers } from "./workers.js";

export interface View {
  /** Redraws the view from the model; called on every change and each second. */
  render(): void;
}

/** Every route's view; the page shell has a `<section id="view-NAME">` for each. */
export const VIEWS: Record<ViewName, View> = {
  jobs: { render: renderJobs },
  job: { render: renderJob },
  workers: { render: renderWorkers },
  "load-balancer": { render: renderLoadBalancer },
  batches: { render: renderBatches },
  batch: { render: renderBatch },
  // The form keeps what the user typed: nothing to redraw.
  submit: { render: () => {} },
};
