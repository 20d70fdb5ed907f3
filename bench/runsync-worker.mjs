// `npm run bench:local`'s worker file for the /runsync comparison, run as a user runs one locally:
// `node bench/runsync-worker.mjs --rp_serve_api --rp_api_port 0` starts the local platform in this
// process and this worker in process against it. The handler is bench/runsync-handler.mjs, the
// same function the baseline server calls inside its request. Memory runs: see gc-report.mjs.
import "./gc-report.mjs";
import { serverless } from "runpod-ts/serverless";
import { handler } from "./runsync-handler.mjs";

serverless.start({ handler });
