/**
 * `runpod-ts endpoint batch submit|status|results|cancel|list`: the built CLI as a child process
 * against a real local platform (port 0) with a protocol-level worker over real HTTP.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Endpoint } from "../../src/endpoint/index.js";
import type { LocalPlatform } from "../../src/local/index.js";
import { client, jobReaches, startPlatform, workerFor } from "../helpers/local-platform.js";
import { untilAborted } from "../helpers/protocol-worker.js";
import { CLI, runCli, tempHome } from "./run-cli.js";

const { home, cleanup } = tempHome();
afterAll(cleanup);

const KEY = "rpa_cli_batch_secret_key";

/** A worker that doubles `n`, fails for a negative one, and holds `{hold: true}` until stopped. */
async function withWorker(): Promise<LocalPlatform> {
  const platform = await startPlatform({ apiKey: KEY });
  workerFor(platform).start(async (job, ctx) => {
    const input = job.input as { n?: number; hold?: boolean };
    if (input.hold) return untilAborted(ctx.signal);
    if ((input.n ?? 0) < 0) return { error: `negative: ${input.n}` };
    return { output: { doubled: (input.n ?? 0) * 2 } };
  });
  return platform;
}

function cli(platform: LocalPlatform, args: string[]) {
  return runCli(["endpoint", "batch", ...args], {
    home,
    env: { RUNPOD_API_KEY: KEY, RUNPOD_ENDPOINT_BASE_URL: `${platform.url}/v2` },
  });
}

function inputsFile(name: string, text: string): string {
  const path = join(home, name);
  writeFileSync(path, text);
  return path;
}

const api = (p: LocalPlatform) => client(p, { authorization: `Bearer ${KEY}` });

describe("runpod-ts endpoint batch", () => {
  it("submit uploads a JSONL file, waits, and prints the summary (no progress bar off a terminal)", async () => {
    const p = await withWorker();
    const file = inputsFile("ok.jsonl", '{"n": 1}\n\n{"n": 2}\r\n{"n": 3}\n');
    const res = await cli(p, ["submit", "local", "--file", file, "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({
      id: expect.stringMatching(/^batch_/),
      status: "FINALIZED",
      requestTotal: 3,
      requestCompleted: 3,
      requestFailed: 0,
    });

    const human = await cli(p, ["submit", "local", "--file", file]);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe("");
    expect(human.stdout).toMatch(/^Status\s+FINALIZED$/m);
    expect(human.stdout).toMatch(/^Requests\s+3: 3 completed · 0 failed · 0 running · 0 queued$/m);
    expect(human.stdout).toMatch(
      /^Results: {2}runpod-ts endpoint batch results local batch_\S+ --out results\.jsonl$/m,
    );
  });

  it("a failed request makes submit exit 1 after printing the summary", async () => {
    const p = await withWorker();
    const file = inputsFile("fail.jsonl", '{"n": 1}\n{"n": -2}\n');
    const res = await cli(p, ["submit", "local", "--file", file, "--json"]);
    expect(res.code).toBe(1);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ requestCompleted: 1, requestFailed: 1 });
    // With --json the error is JSON on stderr too.
    expect(JSON.parse(res.stderr)).toEqual({
      error: {
        message: `1 of 2 requests of batch ${summary.id} failed`,
        hint: `their errors are in \`runpod-ts endpoint batch results local ${summary.id}\``,
        type: "CliError",
      },
    });
  });

  it("a bad line is named by its number and nothing is created", async () => {
    const p = await withWorker();
    const bad = inputsFile("bad.jsonl", '{"n": 1}\n\n{"n": 2,}\n');
    const res = await cli(p, ["submit", "local", "--file", bad]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(
        `^error: ${bad.replaceAll("/", "\\/")} line 3 is not valid JSON \\(.+\\); each line`,
      ),
    );
    const scalar = inputsFile("scalar.jsonl", '{"n": 1}\n42\n');
    const second = await cli(p, ["submit", "local", "--file", scalar]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("scalar.jsonl line 2 must be a JSON object");
    const empty = await cli(p, ["submit", "local", "--file", inputsFile("empty.jsonl", "\n\n")]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("empty.jsonl holds no inputs");
    const missing = await cli(p, ["submit", "local", "--file", join(home, "nope.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read .*nope\.jsonl: ENOENT/);
    expect((await api(p).get("/batch")).json).toEqual([]);
    const usage = await cli(p, ["submit", "local"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--file <path>' not specified");
  });

  it("--no-wait, then status, results (to stdout and --out) and list", async () => {
    const p = await withWorker();
    const file = inputsFile("three.jsonl", '{"n": 1}\n{"n": -1}\n{"n": 3}\n');
    const submitted = await cli(p, ["submit", "local", "--file", file, "--no-wait", "--json"]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { id, status } = JSON.parse(submitted.stdout);
    expect(status).toBe("FINALIZED");
    const waited = await client(p, { authorization: `Bearer ${KEY}` }).get(`/batch/${id}`);
    expect(waited.json.requestTotal).toBe(3);

    // The worker finishes the batch; `status` reports where it is, whenever asked.
    const shown = await cli(p, ["status", "local", id, "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, requestTotal: 3 });
    const human = await cli(p, ["status", "local", id]);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+${id}$`, "m"));

    // Results once every request finished (waited for with the endpoint client).
    const ep = new Endpoint("local", { baseUrl: `${p.url}/v2`, apiKey: KEY, pollIntervalMs: 20 });
    await ep.batches.wait(id);
    const results = await cli(p, ["results", "local", id]);
    const lines = results.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.status)).toEqual(["COMPLETED", "FAILED", "COMPLETED"]);
    expect(lines[0].output).toEqual({ doubled: 2 });
    expect(lines[1].error).toBe("negative: -1");

    const out = join(home, "results.jsonl");
    const written = await cli(p, ["results", "local", id, "--out", out, "--json"]);
    expect(JSON.parse(written.stdout)).toEqual({ path: out, written: 3, completed: 2, failed: 1 });
    expect(readFileSync(out, "utf8")).toBe(results.stdout);
    const note = await cli(p, ["results", "local", id, "--out", out]);
    expect(note.stdout).toBe(`Wrote 3 results to ${out} (2 completed, 1 failed or cancelled)\n`);

    const list = await cli(p, ["list", "local", "--json"]);
    expect(JSON.parse(list.stdout).map((b: { id: string }) => b.id)).toEqual([id]);
    const table = await cli(p, ["list", "local"]);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+REQUESTS\s+PROGRESS\s+CREATED$/m);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+FINALIZED\\s+3\\s+2 completed`, "m"));
  });

  it("cancel: queued requests end at once, the running one when it stops", async () => {
    const p = await withWorker();
    const file = inputsFile("hold.jsonl", '{"hold": true}\n{"n": 1}\n{"n": 2}\n');
    const submitted = await cli(p, ["submit", "local", "--file", file, "--no-wait", "--json"]);
    const { id } = JSON.parse(submitted.stdout);
    const [first] = (await api(p).get(`/batch/${id}/requests`)).json.requests;
    // The worker's only loop holds the first request, so the others stay queued.
    const running = jobReaches(p, first.id, "IN_PROGRESS");
    if ((await api(p).get(`/status/${first.id}`)).json.status !== "IN_PROGRESS") await running;
    const res = await cli(p, ["cancel", "local", id]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(
      `Cancelling batch ${id}: queued requests are cancelled; 1 running will finish first\n`,
    );
    expect((await api(p).post(`/cancel/${first.id}`)).json.status).toBe("CANCELLED");
    const json = await cli(p, ["status", "local", id, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "CANCELLED", requestFailed: 3 });
    const again = await cli(p, ["cancel", "local", id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`batch ${id} is already CANCELLED`);
  });

  it("on a terminal, submit draws a progress bar on stderr; with --json it does not", async () => {
    const p = await withWorker();
    const file = inputsFile("tty.jsonl", '{"n": 1}\n{"n": 2}\n');
    const onTty = (json: boolean) => {
      const args = [
        "endpoint",
        "batch",
        "submit",
        "local",
        "--file",
        file,
        ...(json ? ["--json"] : []),
      ];
      const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(" ");
      const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          NO_COLOR: "1",
          TERM: "dumb",
          RUNPOD_API_KEY: KEY,
          RUNPOD_ENDPOINT_BASE_URL: `${p.url}/v2`,
        },
      });
      let screen = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        screen += d;
      });
      return new Promise<{ code: number | null; screen: string }>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, screen }));
      });
    };
    const drawn = await onTty(false);
    expect(drawn.code).toBe(0);
    expect(drawn.screen).toMatch(/[█░]{24} \d\/2 \d completed · \d failed/);
    expect(drawn.screen).toContain("\r\x1b[2K");
    const json = await onTty(true);
    expect(json.code).toBe(0);
    expect(json.screen).not.toMatch(/[█░]/);
    expect(JSON.parse(json.screen.replaceAll("\r\n", "\n"))).toMatchObject({ requestCompleted: 2 });
  });
});
