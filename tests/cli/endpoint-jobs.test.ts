/**
 * `runpod-ts endpoint run|runsync|status|stream|cancel|retry|health|purge`: the built CLI against a
 * real local platform (started here, port 0) with a protocol-level worker over real HTTP.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LocalPlatform } from "../../src/local/index.js";
import { jobReaches, startPlatform, workerFor } from "../helpers/local-platform.js";
import { type Handler, untilAborted } from "../helpers/protocol-worker.js";
import { runCli, tempHome } from "./run-cli.js";

const { home, cleanup } = tempHome();
afterAll(cleanup);

const KEY = "rpa_cli_jobs_secret_key";

/** A worker error string as our worker and Python's send it (§A.4). */
const workerError = JSON.stringify({
  error_type: "ValueError",
  error_message: "name must not be empty",
  error_traceback: "Traceback (most recent call last):\n  ...",
});

const handler: Handler = async (job, ctx) => {
  const input = job.input as { name?: string; stream?: string[] };
  if (input.stream) {
    for (const token of input.stream) await ctx.stream(token);
    return { output: input.stream };
  }
  if (input.name === "") return { error: workerError };
  return { output: { greeting: `Hello ${input.name}!` } };
};

async function withWorker(options: { apiKey?: string } = {}): Promise<LocalPlatform> {
  const platform = await startPlatform(options);
  workerFor(platform).start(handler);
  return platform;
}

function cli(platform: LocalPlatform, args: string[], env: Record<string, string> = {}) {
  return runCli(["endpoint", ...args], {
    home,
    env: { RUNPOD_API_KEY: KEY, RUNPOD_ENDPOINT_BASE_URL: `${platform.url}/v2`, ...env },
  });
}

describe("runpod-ts endpoint runsync / run / status", () => {
  it("runsync prints the output, readable or as JSON", async () => {
    const p = await withWorker();
    const human = await cli(p, ["runsync", "local", "--input", '{"name": "Ada"}']);
    expect(human).toMatchObject({ code: 0, stderr: "" });
    expect(human.stdout).toBe('{\n  "greeting": "Hello Ada!"\n}\n');
    const json = await cli(p, ["runsync", "local", "--input", '{"name": "Bob"}', "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ greeting: "Hello Bob!" });
  });

  it("run submits and prints the id; status shows the outcome; --wait prints the output", async () => {
    const p = await withWorker();
    const run = await cli(p, ["run", "local", "--input", '{"name": "Cy"}', "--json"]);
    expect(run.code).toBe(0);
    const { id, status } = JSON.parse(run.stdout) as { id: string; status: string };
    expect(status).toBe("IN_QUEUE");
    const waited = await cli(p, ["status", "local", id, "--wait"]);
    expect(waited).toMatchObject({ code: 0, stdout: '{\n  "greeting": "Hello Cy!"\n}\n' });
    const shown = await cli(p, ["status", "local", id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^ID\\s+${id}$`, "m"));
    expect(shown.stdout).toMatch(/^Status\s+COMPLETED$/m);
    expect(shown.stdout).toMatch(/^Worker\s+w1$/m);
    expect(shown.stdout).toMatch(/^Output\s+\{"greeting":"Hello Cy!"\}$/m);
    const json = await cli(p, ["status", "local", id, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id,
      status: "COMPLETED",
      output: { greeting: "Hello Cy!" },
      workerId: "w1",
    });

    const human = await cli(p, ["run", "local", "--input", '{"name": "Di"}']);
    expect(human.stdout).toMatch(/^Submitted job \S+$/m);
    expect(human.stdout).toMatch(/^Status: {2}runpod-ts endpoint status local \S+$/m);
  });

  it("run takes --webhook and the policy flags (seconds), checked before sending", async () => {
    const p = await startPlatform();
    const args = [
      "run",
      "local",
      "--input",
      "{}",
      "--json",
      "--webhook",
      "http://127.0.0.1:9/hook",
    ];
    const flags = await cli(p, [
      ...args,
      "--execution-timeout",
      "60",
      "--policy-ttl",
      "120",
      "--low-priority",
    ]);
    expect(flags.code, flags.stderr).toBe(0);
    const whole = await cli(p, ["run", "local", "--input", "{}", "--policy", '{"ttl": 30000}']);
    expect(whole.code, whole.stderr).toBe(0);
    const byId = new Map(p.jobs().map((j) => [j.id, j]));
    const first = byId.get((JSON.parse(flags.stdout) as { id: string }).id);
    expect(first?.webhook).toBe("http://127.0.0.1:9/hook");
    expect(p.jobs()).toHaveLength(2);

    const both = await cli(p, [
      "run",
      "local",
      "--input",
      "{}",
      "--policy",
      "{}",
      "--low-priority",
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--policy: give --policy or the separate policy flags, not both");
    const short = await cli(p, ["run", "local", "--input", "{}", "--execution-timeout", "1"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("--execution-timeout: must be at least 5");
    const unknown = await cli(p, ["run", "local", "--input", "{}", "--policy", '{"ttl": "x"}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--policy");
    expect(p.jobs()).toHaveLength(2);
  });

  it("a FAILED job exits 1 with the worker's error; status shows it and exits 1 too", async () => {
    const p = await withWorker();
    const failed = await cli(p, ["runsync", "local", "--input", '{"name": ""}']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(
      /^error: Job (\S+) failed: ValueError: name must not be empty; the worker's traceback is in `runpod-ts endpoint status local \1 --json`\n$/,
    );
    const jobId = /Job (\S+) failed/.exec(failed.stderr)?.[1] as string;
    const status = await cli(p, ["status", "local", jobId]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^Status\s+FAILED$/m);
    expect(status.stdout).toMatch(/^Error\s+ValueError: name must not be empty$/m);
    expect(status.stderr).toContain(
      `error: Job ${jobId} failed: ValueError: name must not be empty`,
    );
    const json = await cli(p, ["status", "local", jobId, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: jobId,
      status: "FAILED",
      error: workerError,
    });
  });

  it("--input-file reads the input; bad or missing input is a usage error (exit 2)", async () => {
    const p = await withWorker();
    const file = join(home, "input.json");
    writeFileSync(file, '{"name": "File"}');
    const fromFile = await cli(p, ["runsync", "local", "--input-file", file, "--json"]);
    expect(JSON.parse(fromFile.stdout)).toEqual({ greeting: "Hello File!" });

    const bad = await cli(p, ["runsync", "local", "--input", "{name: 1}"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --input: is not valid JSON \(/);
    expect(bad.stderr).toContain("Usage: runpod-ts endpoint runsync");
    const none = await cli(p, ["run", "local"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("exactly one of --input '<json>' and --input-file PATH");
    const both = await cli(p, ["run", "local", "--input", "{}", "--input-file", file]);
    expect(both.code).toBe(2);
    writeFileSync(file, "not json");
    const badFile = await cli(p, ["run", "local", "--input-file", file]);
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain(`error: ${file} is not valid JSON`);
    expect(p.jobs()).toHaveLength(1);
  });
});

describe("runpod-ts endpoint: time limits", () => {
  it("--execution-timeout reaches the platform (TIMED_OUT, exit 1); runsync --timeout gives up", async () => {
    const p = await startPlatform();
    workerFor(p).start((_job, ctx) => untilAborted(ctx.signal), 2); // the first job never ends
    const giveUp = await cli(p, ["runsync", "local", "--input", "{}", "--timeout", "1"]);
    expect(giveUp.code).toBe(1);
    expect(giveUp.stderr).toMatch(
      /^error: Gave up waiting for job (\S+) after 1 s; it may still be running; follow it with `runpod-ts endpoint status local \1 --wait`\n$/,
    );
    const run = await cli(p, [
      "run",
      "local",
      "--input",
      "{}",
      "--execution-timeout",
      "5",
      "--json",
    ]);
    const { id } = JSON.parse(run.stdout) as { id: string };
    const waited = await cli(p, ["status", "local", id, "--wait"]);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain(
      `error: Job ${id} timed out on the platform (its execution timeout or TTL ran out)`,
    );
  });
});

describe("runpod-ts endpoint stream / cancel / retry / health / purge", () => {
  it("stream prints each chunk as a line, or one JSON value per line with --json", async () => {
    const p = await withWorker();
    const submit = async () => {
      const run = await cli(p, [
        "run",
        "local",
        "--input",
        '{"stream": ["hello", "from", {"n": 1}]}',
        "--json",
      ]);
      return (JSON.parse(run.stdout) as { id: string }).id;
    };
    const human = await cli(p, ["stream", "local", await submit()]);
    expect(human).toMatchObject({ code: 0, stdout: 'hello\nfrom\n{"n":1}\n' });
    const json = await cli(p, ["stream", "local", await submit(), "--json"]);
    expect(json).toMatchObject({ code: 0, stdout: '"hello"\n"from"\n{"n":1}\n' });
  });

  it("cancel cancels a queued job; its status then exits 1", async () => {
    const p = await startPlatform(); // no worker: the job stays queued
    const run = await cli(p, ["run", "local", "--input", "{}", "--json"]);
    const { id } = JSON.parse(run.stdout) as { id: string };
    const cancel = await cli(p, ["cancel", "local", id]);
    expect(cancel).toMatchObject({ code: 0, stdout: `Cancelled job ${id} (now CANCELLED)\n` });
    const status = await cli(p, ["status", "local", id, "--json"]);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ id, status: "CANCELLED" });
    // With --json the failure is JSON too.
    expect(JSON.parse(status.stderr)).toEqual({
      error: { message: `Job ${id} was cancelled`, type: "CliError" },
    });
    const human = await cli(p, ["status", "local", id]);
    expect(human.stderr).toBe(`error: Job ${id} was cancelled\n`);
  });

  it("retry queues a failed job again under its id", async () => {
    const p = await withWorker();
    const run = await cli(p, ["run", "local", "--input", '{"name": ""}', "--json"]);
    const { id } = JSON.parse(run.stdout) as { id: string };
    expect((await cli(p, ["status", "local", id, "--wait"])).code).toBe(1);
    const failedAgain = jobReaches(p, id, "FAILED");
    const retry = await cli(p, ["retry", "local", id, "--json"]);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ id, status: "IN_QUEUE" });
    expect((await failedAgain).job.retries).toBe(1);
  });

  it("health counts the queue; purge empties it", async () => {
    const p = await startPlatform();
    for (const n of [1, 2]) await cli(p, ["run", "local", "--input", `{"n": ${n}}`]);
    const health = await cli(p, ["health", "local"]);
    expect(health.code).toBe(0);
    expect(health.stdout).toMatch(
      /^Jobs\s+2 queued, 0 in progress, 0 completed, 0 failed, 0 retried$/m,
    );
    expect(health.stdout).toMatch(/^Workers\s+0 idle, 0 running, 0 unhealthy/m);
    const purge = await cli(p, ["purge", "local"]);
    expect(purge).toMatchObject({ code: 0, stdout: "Removed 2 queued jobs from local\n" });
    const json = await cli(p, ["health", "local", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ jobs: { inQueue: 0 }, workers: { idle: 0 } });
  });
});

describe("runpod-ts endpoint: keys and URLs", () => {
  it("sends the resolved key, never prints it, and reports a rejected one", async () => {
    const p = await withWorker({ apiKey: KEY });
    const ok = await cli(p, ["runsync", "local", "--input", '{"name": "Key"}', "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    const wrong = await cli(p, ["health", "local", "--api-key", "rpa_wrong_key_1234"]);
    expect(wrong.code).toBe(1);
    // The local platform's refusal is about its own key, not Runpod's.
    expect(wrong.stderr).toBe(
      `error: ${p.url}/v2 refused the request (401 Unauthorized): the API key sent does not match; pass the key it was started with (\`runpod-ts dev --api-key KEY\`) as --api-key or RUNPOD_API_KEY\n`,
    );
    const json = await cli(p, ["health", "local", "--api-key", "rpa_wrong_key_1234", "--json"]);
    expect(json.code).toBe(1);
    expect(json.stdout).toBe("");
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        message: `${p.url}/v2 refused the request (401 Unauthorized): the API key sent does not match`,
        hint: "pass the key it was started with (`runpod-ts dev --api-key KEY`) as --api-key or RUNPOD_API_KEY",
        type: "CliError",
      },
    });
    for (const r of [ok, wrong, json]) expect(r.stdout + r.stderr).not.toMatch(/rpa_(cli|wrong)/);
  });

  it("without a key: an open local platform takes the job; the follow-ups keep --base-url", async () => {
    const p = await withWorker();
    const base = `${p.url}/v2`;
    const r = await runCli(
      ["endpoint", "run", "local", "--input", '{"name": "Open"}', "--base-url", base],
      {
        home,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const id = /^Submitted job (\S+)$/m.exec(r.stdout)?.[1];
    expect(r.stdout).toContain(
      `Wait:    runpod-ts endpoint status local ${id} --base-url ${base} --wait`,
    );
    const waited = await runCli(
      ["endpoint", "status", "local", id as string, "--base-url", base, "--wait"],
      { home },
    );
    expect(waited).toMatchObject({ code: 0, stdout: '{\n  "greeting": "Hello Open!"\n}\n' });
  });

  it("without a key, a keyed local platform says it wants one; Runpod's API is not even called", async () => {
    const p = await startPlatform({ apiKey: KEY });
    const r = await runCli(["endpoint", "health", "local", "--base-url", `${p.url}/v2`], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${p.url}/v2 refused the request (401 Unauthorized): it wants an API key`,
    );
    const runpod = await runCli(["endpoint", "run", "local", "--input", "{}"], { home });
    expect(runpod.code).toBe(1);
    expect(runpod.stderr).toBe(
      "error: No Runpod API key configured; set one with `runpod-ts config`, the RUNPOD_API_KEY environment variable, or --api-key\n",
    );
  });

  it("a base URL without /v2: the 404 says where the endpoints are", async () => {
    const p = await withWorker();
    const r = await runCli(["endpoint", "health", "local", "--base-url", p.url], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the base URL has no /v2 at its end");
  });

  it("--base-url wins over RUNPOD_ENDPOINT_BASE_URL; a bad one is a usage error", async () => {
    const p = await withWorker();
    const r = await cli(
      p,
      ["runsync", "local", "--input", '{"name": "Url"}', "--base-url", `${p.url}/v2/`, "--json"],
      {
        RUNPOD_ENDPOINT_BASE_URL: "http://127.0.0.1:9/v2",
      },
    );
    expect(JSON.parse(r.stdout)).toEqual({ greeting: "Hello Url!" });
    const bad = await cli(p, ["health", "local", "--base-url", "not a url"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--base-url: must be an http(s) URL");
  });
});
