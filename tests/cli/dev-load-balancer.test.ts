/**
 * `runpod-ts dev --load-balancer WORKER`: the built CLI as a child process, a real worker file
 * behind the local load balancer, labelled worker output and an access log line per request.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { HTTP_WORKER } from "../helpers/load-balancer.js";
import { DevProcess } from "./dev-process.js";
import { runCli, tempHome } from "./run-cli.js";

const { home, cleanup } = tempHome();
afterAll(cleanup);
const running: DevProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

describe("runpod-ts dev --load-balancer", () => {
  it("serves the worker file behind the balancer, labels its lines, logs each request; SIGTERM exits 0", async () => {
    const d = new DevProcess(
      ["--load-balancer", HTTP_WORKER, "--port", "0", "--workers", "2", "--min-workers", "1"],
      { home, cwd: home },
    );
    running.push(d);
    const [, url] = await d.waitFor(/^Local load balancer: (http:\/\/127\.0\.0\.1:\d+) /m);
    expect(d.stdout).toMatch(/^Dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
    await d.waitFor(/^\[lb-worker-1\] listening on \d+, health on \d+\/ping$/m);
    await d.waitFor(/^\[lb\] worker lb-worker-1 ready on port \d+ /m);
    const res = await fetch(`${url}/status/418`, { method: "POST" });
    expect(res.status).toBe(418);
    expect(res.headers.get("x-runpod-worker-id")).toBe("lb-worker-1");
    await d.waitFor(/^\[lb\] POST \/status\/418 → 418 by lb-worker-1 \(\d+ ms\)$/m);
    expect(await d.stop()).toBe(0);
    expect(d.stdout).toMatch(/^\[lb\] worker lb-worker-1 gone \(closed\)$/m);
  });

  it("restarts the workers when the worker file changes: a fresh one serves the new code", async () => {
    // A plain node:http worker: /ping is 200 at once, every other path answers its version.
    const source = (version: number) => `import { createServer } from "node:http";
const port = Number(process.env.PORT);
createServer((req, res) => {
  if (req.url === "/ping") { res.writeHead(200); res.end(); return; }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ version: ${version} }));
}).listen(port, "127.0.0.1", () => console.log("v${version} listening"));
process.on("SIGTERM", () => process.exit(0));
`;
    const dir = join(home, "lb-watch");
    mkdirSync(dir);
    writeFileSync(join(dir, "worker.mjs"), source(1));
    const d = new DevProcess(
      ["--load-balancer", "worker.mjs", "--port", "0", "--workers", "1", "--min-workers", "1"],
      { home, cwd: dir },
    );
    running.push(d);
    const [, url] = await d.waitFor(/^Local load balancer: (http:\/\/127\.0\.0\.1:\d+) /m);
    await d.waitFor(/^\[lb\] worker lb-worker-1 ready on port \d+ /m);
    const before = await fetch(`${url}/version`);
    expect(before.headers.get("x-runpod-worker-id")).toBe("lb-worker-1");
    expect(await before.json()).toEqual({ version: 1 });

    writeFileSync(join(dir, "worker.mjs"), source(2));
    await d.waitFor(/^\[dev\] worker\.mjs changed; restarting the worker$/m);
    await d.waitFor(/^\[lb\] worker lb-worker-1 gone \(restarted\)$/m);
    await d.waitFor(/^\[lb\] worker lb-worker-2 ready on port \d+ /m);
    const after = await fetch(`${url}/version`);
    expect(after.headers.get("x-runpod-worker-id")).toBe("lb-worker-2");
    expect(await after.json()).toEqual({ version: 2 });
    expect(await d.stop()).toBe(0);
  });

  it("checks its flags: --min-workers above --workers is a usage error", async () => {
    const r = await runCli(
      ["dev", "--load-balancer", HTTP_WORKER, "--workers", "1", "--min-workers", "2"],
      { home },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must not exceed --workers");
  });
});
