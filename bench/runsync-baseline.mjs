// The baseline of bench:local's /runsync comparison: a minimal Hono server that calls the handler
// inside the request (what an in-process dev server costs, with no queue). Prints its URL.
// Memory runs: see gc-report.mjs.
import "./gc-report.mjs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { handler } from "./runsync-handler.mjs";

const app = new Hono();
let n = 0;
app.post("/runsync", async (c) => {
  const body = await c.req.json();
  const id = `sync-${++n}`;
  const output = await handler({ id, input: body.input });
  return c.json({ id, status: "COMPLETED", output });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
