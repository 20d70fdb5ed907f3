/** The overview above every view: `/health` counts and the throughput/latency chart. */
import { byId, renderFacts, svg } from "../dom.js";
import { duration } from "../format.js";
import { model } from "../model.js";

export function renderHealth(): void {
  const health = model.health;
  if (health) {
    renderFacts(
      byId("health-jobs"),
      Object.entries(health.jobs).map(([k, v]) => [`jobs.${k}`, v]),
    );
    renderFacts(
      byId("health-workers"),
      Object.entries(health.workers).map(([k, v]) => [`workers.${k}`, v]),
    );
  }
  renderChart();
}

const WIDTH = 300;
const HEIGHT = 90;

/** Bars: jobs finished per second in each bucket; line: their mean latency (own scale). */
function renderChart(): void {
  const metrics = model.metrics;
  if (!metrics) return;
  const buckets = metrics.buckets;
  const seconds = metrics.bucketMs / 1000;
  const slot = WIDTH / buckets.length;
  const rates = buckets.map((b) => b.finished / seconds);
  const maxRate = Math.max(...rates, 0.1);
  const latencies = buckets.flatMap((b) => (b.latencyMs === undefined ? [] : [b.latencyMs]));
  const maxLatency = Math.max(...latencies, 1);
  const nodes = [
    svg("line", { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: "axis" }),
  ];
  rates.forEach((rate, i) => {
    const h = (rate / maxRate) * (HEIGHT - 6);
    if (h > 0) {
      nodes.push(
        svg("rect", { x: i * slot + 1, y: HEIGHT - h, width: slot - 2, height: h, class: "bar" }),
      );
    }
  });
  const points = buckets.flatMap((b, i) =>
    b.latencyMs === undefined
      ? []
      : [`${i * slot + slot / 2},${HEIGHT - 3 - (b.latencyMs / maxLatency) * (HEIGHT - 10)}`],
  );
  if (points.length > 0) {
    nodes.push(svg("polyline", { points: points.join(" "), class: "latency" }));
  }
  byId("chart").replaceChildren(...nodes);

  const minutes = Math.round((buckets.length * metrics.bucketMs) / 60000);
  const finished = buckets.reduce((sum, b) => sum + b.finished, 0);
  const now = (buckets.at(-1)?.finished ?? 0) / seconds;
  let weighted = 0;
  let timedJobs = 0;
  for (const b of buckets) {
    if (b.latencyMs === undefined) continue;
    weighted += b.latencyMs * b.finished;
    timedJobs += b.finished;
  }
  const meanLatency = timedJobs === 0 ? undefined : Math.round(weighted / timedJobs);
  byId("chart-summary").textContent =
    `Last ${minutes} min: ${finished} jobs finished (now ${now.toFixed(1)} jobs/s), ` +
    `mean latency ${duration(meanLatency)}. Bars: jobs/s per ${seconds} s; ` +
    `line: mean latency (queue + execution), max ${duration(latencies.length ? maxLatency : undefined)}.`;
}
