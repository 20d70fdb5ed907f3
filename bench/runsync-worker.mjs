// `npm run bench:local`'s worker file for the /runsync comparison, run as a user runs one locally:
// `node bench/runsync-worker.mjs --rp_serve_api --rp_api_port 0` starts the local platform in this
// process and this worker in process against it. The handler is bench/runsync-handler.mjs, the
// same function the baseline server calls inside its request.
import { serverless } from "runpod-ts/serverless";
import { handler } from "./runsync-handler.mjs";

// Memory runs start Node with --expose-gc: SIGUSR2 collects garbage, then reports the live heap on
// stderr, so the bench can tell retained memory from garbage not yet collected.
if (typeof globalThis.gc === "function") {
  process.on("SIGUSR2", () => {
    globalThis.gc();
    process.stderr.write(`gc done ${process.memoryUsage().heapUsed}\n`);
  });
}

serverless.start({ handler });
