// Bench-only fake platform, run in its own process so it does not share a CPU budget with the
// worker's event loop. Serves `total` jobs as fast as asked (job-take and job-take-batch), records
// when each job was handed out and when its result arrived, and reports over IPC.
import { createServer } from "node:http";

let run;
let firstTakeAt = 0;

function reset(total, checkpoints = []) {
  run = {
    total,
    served: 0,
    done: 0,
    handedAt: new Map(),
    latencies: [],
    first: 0,
    last: 0,
    checkpoints,
    takes: 0,
  };
  firstTakeAt = 0;
}
reset(0);

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url.includes("/job-take")) {
    run.takes++;
    if (!firstTakeAt) {
      firstTakeAt = performance.now();
      process.send?.({ type: "first-take", at: Date.now() });
    }
    const batch = url.includes("/job-take-batch/");
    const want = batch ? Number(/batch_size=(\d+)/.exec(url)?.[1] ?? 1) : 1;
    const n = Math.min(want, run.total - run.served);
    if (n <= 0) {
      // Nothing left: hold like a long poll so idle workers do not spin.
      setTimeout(() => res.writeHead(204).end(), 500);
      return;
    }
    const now = performance.now();
    if (!run.first) run.first = now;
    const jobs = [];
    for (let i = 0; i < n; i++) {
      const id = `job-${++run.served}`;
      run.handedAt.set(id, now);
      jobs.push({ id, input: { n: run.served } });
    }
    res
      .writeHead(200, { "Content-Type": "application/json" })
      .end(JSON.stringify(batch ? jobs : jobs[0]));
    return;
  }
  if (url.includes("/job-done/")) {
    req.resume();
    req.on("end", () => {
      const id = url.split("?")[0].split("/").pop();
      const handed = run.handedAt.get(id);
      if (handed !== undefined) {
        const now = performance.now();
        run.latencies.push(now - handed);
        run.handedAt.delete(id);
        run.done++;
        run.last = now;
        if (run.checkpoints.includes(run.done))
          process.send?.({ type: "checkpoint", done: run.done });
        if (run.done === run.total) {
          const sorted = run.latencies.sort((a, b) => a - b);
          const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
          process.send?.({
            type: "finished",
            jobs: run.done,
            seconds: (run.last - run.first) / 1000,
            p50: q(0.5),
            p99: q(0.99),
            takes: run.takes,
          });
        }
      }
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
    return;
  }
  if (url.includes("/job-stop/")) {
    setTimeout(() => res.writeHead(204).end(), 5_000);
    return;
  }
  res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ type: "ready", port: server.address().port }));
process.on("message", (m) => {
  if (m.type === "reset") reset(m.total, m.checkpoints);
  if (m.type === "exit") process.exit(0);
});
