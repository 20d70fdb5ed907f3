// The local load balancer of `npm run bench:lb` as its own process (as `runpod-ts dev` runs it),
// from the built package, in front of one bench/lb-app.mjs worker. Prints its URL and the worker's pid when ready.
import { createLocalPlatform } from "../dist/local/index.js";

const app = new URL("./lb-app.mjs", import.meta.url).pathname;
const platform = await createLocalPlatform({
  port: 0,
  dashboard: false,
  loadBalancer: {
    command: [process.execPath, app],
    healthIntervalMs: 50,
    workers: { min: 1, max: 1 },
    output: () => {},
  },
});
const ready = () => platform.loadBalancerWorkers().find((w) => w.state === "ready");
while (!ready()) await new Promise((r) => setTimeout(r, 20));
console.log(`${platform.loadBalancerUrl} ${ready()?.pid}`);
process.on("SIGTERM", () => platform.close().then(() => process.exit(0)));
