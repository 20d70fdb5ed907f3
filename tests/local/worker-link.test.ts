/**
 * The in-process worker link of `--rp_serve_api` answers as the HTTP worker routes do: same
 * statuses and bodies for the same requests, since both run the operations of worker-operations.ts.
 */
import { describe, expect, it } from "vitest";
import type { LocalPlatform, WorkerCall } from "../../src/local/index.js";
import { client, startPlatform } from "../helpers/local-platform.js";

const encoder = new TextEncoder();

/** The same request through the link and over HTTP: [link answer, HTTP answer]. */
async function both(p: LocalPlatform, call: Omit<WorkerCall, "url"> & { path: string }) {
  const url = `${p.url}${call.path}`;
  const linked = await p.workerLink({ ...call, url });
  const headers: Record<string, string> = {};
  if (call.authorization !== undefined) headers.authorization = call.authorization;
  const body = call.body === undefined ? undefined : Buffer.from(call.body);
  const res = await fetch(url, { method: call.method, headers, body });
  const text = await res.text();
  return [
    { status: linked.status, text: linked.text },
    { status: res.status, text },
  ];
}

describe("in-process worker link", () => {
  it("refuses a wrong key, unknown endpoints, routes and methods, and bad bodies as the routes do", async () => {
    const p = await startPlatform({ apiKey: "secret", longPollMs: 20 });
    const key = { authorization: "secret" };
    const cases: Array<Omit<WorkerCall, "url"> & { path: string }> = [
      { method: "GET", path: "/v2/local/job-take/w1?job_in_progress=0", authorization: "nope" },
      { method: "GET", path: "/v2/other/job-take/w1", ...key },
      { method: "GET", path: "/v2/local/job-nothing/w1", ...key },
      { method: "GET", path: "/v2/local/job-done/w1", ...key },
      { method: "POST", path: "/v2/local/job-take/w1", ...key },
      { method: "POST", path: "/v2/local/job-done/w1/j1", ...key, body: encoder.encode("{") },
      { method: "POST", path: "/v2/local/job-done/w1/j1", ...key, body: encoder.encode("[]") },
      {
        method: "POST",
        path: "/job-done/w1/j1?isStream=false",
        ...key,
        body: encoder.encode("{}"),
      },
      { method: "POST", path: "/v2/local/job-stream/w1/j1", ...key, body: encoder.encode("{}") },
      { method: "GET", path: "/v2/local/job-take-batch/w1?batch_size=x", ...key },
      { method: "GET", path: "/v2/local/job-take/w1?job_in_progress=0", ...key },
      { method: "GET", path: "/v2/local/ping/w1?runpod_version=1.0", ...key },
    ];
    for (const call of cases) {
      const [linked, http] = await both(p, call);
      expect(linked, `${call.method} ${call.path}`).toEqual(http);
    }
    expect(p.workers().find((w) => w.id === "w1")?.version).toBe("1.0");
  });

  it("hands out a queued job and takes its result, decoding path parameters", async () => {
    const p = await startPlatform();
    const { id } = (await client(p).post("/run", { input: { n: 1 } })).json;
    const take = await p.workerLink({
      method: "GET",
      url: `${p.endpointUrl}/job-take/w%31?gpu=local&job_in_progress=0`,
      authorization: "local",
    });
    expect(take.status).toBe(200);
    expect(take.contentType).toBe("application/json");
    expect(JSON.parse(take.text)).toEqual({ id, input: { n: 1 } });
    const done = await p.workerLink({
      method: "POST",
      url: `${p.endpointUrl}/job-done/w1/${id}?gpu=local&isStream=false`,
      authorization: "local",
      body: encoder.encode('{"output": 2}'),
    });
    expect(done).toMatchObject({ status: 200, text: "{}" });
    expect((await client(p).get(`/status/${id}`)).json).toMatchObject({
      status: "COMPLETED",
      output: 2,
      workerId: "w1",
    });
  });
});
