// Bench-only fake platform, run in its own process so it does not share a CPU budget with the
// worker's event loop. Serves `total` jobs as fast as asked (job-take and job-take-batch), records
// when each job was handed out and when its result arrived, and reports over IPC.
// BENCH_BACKLOG sets the listen backlog (Python's socketserver uses 5); BENCH_DELAY_MS holds every
// answer that long, as a platform across the internet would. When a job's output is a timestamp
// (`Date.now()` at the handler's end: the system clock both processes share), the time from the job's end
// to its job-done arriving is recorded too. Latency figures leave out the first results (warm-up).
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";

const backlog = Number(process.env.BENCH_BACKLOG ?? 511);
const delayMs = Number(process.env.BENCH_DELAY_MS ?? 0);
const answer = delayMs > 0 ? (f) => setTimeout(f, delayMs) : (f) => f();
const connections = new Set();
const warmup = (total) => Math.min(500, Math.floor(total / 10));

let run;
let firstTakeAt = 0;

// `token`, when given, is a path segment only the current run's worker uses: a worker killed at
// the end of a run can leave requests in the accept queue (a backlog of 5 overflows), which this
// process accepts after the reset; jobs handed to them would be lost and the run never end.
function reset(total, checkpoints = [], token = "") {
  run = {
    total,
    token,
    served: 0,
    done: 0,
    handedAt: new Map(),
    latencies: [],
    endToDone: [],
    connectionsAtStart: connections.size,
    opened: 0,
    first: 0,
    last: 0,
    checkpoints,
    takes: 0,
    // Requests of any kind the run's worker sent (takes, results, pings, stop polls).
    requests: 0,
    cpuAtFirst: undefined,
  };
  firstTakeAt = 0;
}
reset(0);

// BENCH_TLS_KEY and BENCH_TLS_CERT (PEM files) serve https, as the real platform does.
const tls = process.env.BENCH_TLS_KEY
  ? {
      key: readFileSync(process.env.BENCH_TLS_KEY),
      cert: readFileSync(process.env.BENCH_TLS_CERT ?? ""),
    }
  : undefined;
const listener = (req, res) => {
  const url = req.url ?? "/";
  // Read the body first, then answer after the delay (if any).
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => answer(() => handle(res, url, Buffer.concat(chunks).toString())));
};
const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);

const cpuMs = (usage) => (usage.user + usage.system) / 1000;

function handle(res, url, body) {
  if (run.token && !url.includes(`/${run.token}/`)) {
    res.writeHead(url.includes("/job-take") ? 204 : 200).end();
    return;
  }
  run.requests++;
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
    if (!run.first) {
      run.first = now;
      run.cpuAtFirst = process.cpuUsage();
    }
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
    {
      const id = url.split("?")[0].split("/").pop();
      const handed = run.handedAt.get(id);
      if (handed !== undefined) {
        const now = performance.now();
        // Latencies leave out a warm-up: the first results wait on sockets being opened, once per
        // worker; the raw loop opens its sockets before the first job is handed out.
        if (run.done >= warmup(run.total)) {
          run.latencies.push(now - handed);
          const ended = JSON.parse(body).output;
          if (typeof ended === "number") run.endToDone.push(Date.now() - delayMs - ended);
        }
        run.handedAt.delete(id);
        run.done++;
        run.last = now;
        if (run.checkpoints.includes(run.done))
          process.send?.({ type: "checkpoint", done: run.done });
        if (run.done === run.total) {
          const quantile = (xs) => {
            const sorted = xs.sort((a, b) => a - b);
            return (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
          };
          const q = quantile(run.latencies);
          const e = quantile(run.endToDone);
          process.send?.({
            type: "finished",
            jobs: run.done,
            seconds: (run.last - run.first) / 1000,
            p50: q(0.5),
            p99: q(0.99),
            endToDoneP99: e(0.99),
            endToDoneMax: e(1),
            takes: run.takes,
            requests: run.requests,
            // This process's CPU time from the first job handed out to the last result, in ms.
            cpuMs: cpuMs(process.cpuUsage(run.cpuAtFirst)),
            connections: run.opened,
          });
        }
      }
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    }
    return;
  }
  if (url.includes("/job-stop/")) {
    setTimeout(() => res.writeHead(204).end(), 5_000);
    return;
  }
  res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
}
server.on(tls ? "secureConnection" : "connection", (socket) => {
  run.opened++;
  connections.add(socket);
  socket.on("close", () => connections.delete(socket));
});
server.keepAliveTimeout = 60_000;
server.listen({ port: 0, host: "127.0.0.1", backlog }, () =>
  process.send?.({ type: "ready", port: server.address().port }),
);
process.on("message", (m) => {
  if (m.type === "reset") reset(m.total, m.checkpoints, m.token);
  if (m.type === "exit") process.exit(0);
});
