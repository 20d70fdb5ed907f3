// The smallest worker: echoes its input.
//   npm run build && node examples/workers/echo.mjs --test_input '{"input": {"name": "Ada"}}'
import { serverless } from "runpod-ts/serverless";

serverless.start({
  handler: (job) => ({ greeting: `Hello ${job.input?.name ?? "world"}!` }),
});
