/**
 * Replays the recorded requests of the real Python worker (runpod-python 1.12.0, unmodified;
 * tests/fixtures/python-worker-trace.jsonl, a copy of shared/spec/) against the platform: each
 * request's method, path, query, headers and body as recorded, with only the port and job ids
 * adapted. Every request must be accepted and every job must reach the state its posts imply.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { client, startPlatform } from "../helpers/local-platform.js";

interface TraceRequest {
  scenario: string;
  seq: number;
  t: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  route: "job-take" | "job-take-batch" | "job-done" | "job-stream" | "job-stop" | "ping";
  resp_status: number;
  resp_body: string;
}

const lines = readFileSync(
  new URL("../fixtures/python-worker-trace.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const envs = new Map(
  lines
    .filter((l) => "_env" in l)
    .map((l) => [l._env as string, (l as { env: Record<string, string> }).env]),
);
const requests = lines.filter((l): l is TraceRequest & Record<string, unknown> => "scenario" in l);
const scenarios = [...new Set(requests.map((r) => r.scenario))];

/** Headers fetch computes itself (or forbids) are left to it. */
const COMPUTED = new Set(["host", "content-length", "connection"]);

describe("the recorded Python worker trace", () => {
  it("covers every worker route", () => {
    expect(new Set(requests.map((r) => r.route))).toEqual(
      new Set(["job-take", "job-take-batch", "job-done", "job-stream", "job-stop", "ping"]),
    );
    expect(scenarios).toEqual(["c1-echo", "c8-echo", "features", "stream", "done-500-retry"]);
  });

  for (const scenario of scenarios) {
    it(`scenario ${scenario}: every request is accepted and jobs reach the right states`, async () => {
      const env = envs.get(scenario) as Record<string, string>;
      const p = await startPlatform({
        endpointId: env.RUNPOD_ENDPOINT_ID as string,
        apiKey: env.RUNPOD_AI_API_KEY as string,
        longPollMs: 20,
      });
      const api = client(p, { authorization: `Bearer ${env.RUNPOD_AI_API_KEY}` });
      const ids = new Map<string, string>(); // recorded job id → ours
      const chunks = new Map<string, unknown[]>(); // recorded job id → streamed outputs
      const mapIds = (text: string) =>
        text.replace(/job-\d{6}/g, (recorded) => ids.get(recorded) ?? recorded);

      for (const req of [...requests.filter((r) => r.scenario === scenario)].sort(
        (a, b) => a.t - b.t,
      )) {
        if (req.route === "job-take" || req.route === "job-take-batch") {
          // Queue the jobs the recorded platform handed out, with their inputs.
          const recorded = JSON.parse(req.resp_body) as unknown;
          const jobs = (Array.isArray(recorded) ? recorded : [recorded]) as Array<{
            id: string;
            input: unknown;
          }>;
          for (const job of jobs) await api.post("/run", { input: job.input });
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers)
            .filter(([name]) => !COMPUTED.has(name.toLowerCase()))
            .map(([name, value]) => [name, mapIds(value)]),
        );
        const res = await fetch(`${p.url}${mapIds(req.path)}?${req.query}`, {
          method: req.method,
          headers,
          ...(req.body === "" ? {} : { body: req.body }),
        });
        const text = await res.text();
        const where = `${scenario} #${req.seq} ${req.method} ${req.path}`;

        if (req.route === "job-take" || req.route === "job-take-batch") {
          expect(res.status, where).toBe(200);
          expect(res.headers.get("content-type"), where).toMatch(/^application\/json/);
          const recorded = JSON.parse(req.resp_body) as unknown;
          const ours = JSON.parse(text) as unknown;
          expect(Array.isArray(ours), where).toBe(Array.isArray(recorded));
          const rec = (Array.isArray(recorded) ? recorded : [recorded]) as Array<{
            id: string;
            input: unknown;
          }>;
          const got = (Array.isArray(ours) ? ours : [ours]) as Array<{
            id: string;
            input: unknown;
          }>;
          expect(
            got.map((j) => j.input),
            where,
          ).toEqual(rec.map((j) => j.input));
          for (const [i, j] of rec.entries()) ids.set(j.id, got[i]?.id as string);
        } else if (req.route === "job-stop") {
          expect(res.status, where).toBe(204);
        } else {
          expect(res.status, where).toBe(200);
        }

        const recordedJob = req.path.match(/job-\d{6}$/)?.[0];
        if (req.route === "job-stream" && recordedJob) {
          chunks.set(recordedJob, [
            ...(chunks.get(recordedJob) ?? []),
            (JSON.parse(req.body) as { output: unknown }).output,
          ]);
        }
        if (req.route === "job-done" && recordedJob) {
          const body = JSON.parse(req.body) as {
            status?: string;
            output?: unknown;
            error?: string;
          };
          const status = (await api.get(`/status/${ids.get(recordedJob)}`)).json;
          if (body.status === "IN_PROGRESS") {
            expect(status, where).toMatchObject({ status: "IN_PROGRESS", output: body.output });
          } else if (body.error) {
            expect(status, where).toMatchObject({ status: "FAILED", error: body.error });
            expect(JSON.parse(status.error).error_message, where).toMatch(/^boom on x=\d+$/);
          } else {
            expect(status, where).toMatchObject({ status: "COMPLETED", output: body.output });
          }
          expect(status.workerId, where).toBe(env.RUNPOD_POD_ID);
        }
      }

      for (const [recordedJob, outputs] of chunks) {
        const drained = (await api.get(`/stream/${ids.get(recordedJob)}?wait=0`)).json;
        expect(drained.stream.map((c: { output: unknown }) => c.output)).toEqual(outputs);
      }
      expect(p.workers()).toEqual([
        expect.objectContaining({
          id: env.RUNPOD_POD_ID,
          version: "1.12.0",
          refreshRequested: false,
        }),
      ]);
    });
  }
});
