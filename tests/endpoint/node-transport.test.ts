/**
 * Which transport each build of the endpoint client uses. Node's `fetch` adds `sec-fetch-mode`
 * to every request and undici's dispatch does not, so the server can tell them apart.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Endpoint as UniversalEndpoint } from "../../src/endpoint/index.js";
import { Endpoint as NodeEndpoint } from "../../src/endpoint/node.js";
import { runProcess } from "../helpers/run-process.js";
import { KEY, useServer } from "./setup.js";

const ctx = useServer();
const root = join(import.meta.dirname, "..", "..");

describe("endpoint transports", () => {
  it("the Node build sends through undici, the universal build through fetch", async () => {
    ctx.server.handle(() => ({ json: { id: "job-1", status: "IN_QUEUE" } }));
    const options = { apiKey: KEY, baseUrl: ctx.server.baseUrl };
    await new NodeEndpoint("ep-1", options).run({});
    await NodeEndpoint.job("ep-1", "job-1", options).status();
    await new UniversalEndpoint("ep-1", options).run({});
    const fetchMode = ctx.server.requests.map((r) => r.headers["sec-fetch-mode"]);
    expect(fetchMode).toEqual([undefined, undefined, "cors"]);
    expect(ctx.server.requests[1]?.path).toBe("/v2/ep-1/status/job-1");
  });

  it("a user-supplied fetch wins over undici on Node", async () => {
    ctx.server.reply({ json: { id: "job-1", status: "IN_QUEUE" } });
    const urls: string[] = [];
    const ep = new NodeEndpoint("ep-1", {
      apiKey: KEY,
      baseUrl: ctx.server.baseUrl,
      fetch: (url, init) => {
        urls.push(url);
        return fetch(url, init);
      },
    });
    await ep.run({});
    expect(urls).toEqual([`${ctx.server.baseUrl}/ep-1/run`]);
    expect(ctx.server.requests[0]?.headers["sec-fetch-mode"]).toBe("cors");
  });

  it("the package resolves to the Node build on Node, to the universal one under `browser`, and an idle agent does not hold the process", async () => {
    ctx.server.handle(() => ({ json: { id: "job-1", status: "COMPLETED", output: 7 } }));
    const script = `
      const url = await import.meta.resolve("runpod-ts/endpoint");
      const { Endpoint } = await import("runpod-ts/endpoint");
      const output = await new Endpoint("ep-1", { apiKey: "${KEY}", baseUrl: process.argv[1] }).runSync({});
      console.log(JSON.stringify({ file: url.slice(url.lastIndexOf("/dist/") + 1), output }));`;
    const run = (conditions: string[]) =>
      runProcess(
        process.execPath,
        [...conditions, "--input-type=module", "-e", script, ctx.server.baseUrl],
        { cwd: root, env: { PATH: process.env.PATH ?? "" } },
      );
    const node = await run([]);
    expect(node.stderr).toBe("");
    expect(node.code).toBe(0);
    expect(JSON.parse(node.stdout)).toEqual({ file: "dist/endpoint/node.js", output: 7 });
    const browser = await run(["--conditions=browser"]);
    expect(browser.code).toBe(0);
    expect(JSON.parse(browser.stdout)).toEqual({ file: "dist/endpoint/index.js", output: 7 });
    expect(ctx.server.requests.map((r) => r.headers["sec-fetch-mode"])).toEqual([
      undefined,
      "cors",
    ]);
  });
});
