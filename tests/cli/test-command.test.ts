/** `runpod-ts test WORKER_FILE`: one job through our real worker runtime's one-shot mode. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, SERVERLESS, tempHome } from "./run-cli.js";

const { home, cleanup } = tempHome();
afterAll(cleanup);

const dir = join(home, "project");
mkdirSync(dir);
writeFileSync(
  join(dir, "worker.mjs"),
  `import { serverless } from ${JSON.stringify(SERVERLESS)};
serverless.start({
  handler: (job) => {
    if (!job.input.name) throw new TypeError("input.name is required");
    return { greeting: \`Hello \${job.input.name}!\` };
  },
});
`,
);

const test = (args: string[], env: Record<string, string> = {}) =>
  runCli(["test", ...args], { home, cwd: dir, env });

describe("runpod-ts test", () => {
  it("a passing job: prints the result and exits 0", async () => {
    const r = await test(["worker.mjs", "--input", '{"name": "Ada"}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Job result: {"output": {"greeting": "Hello Ada!"}}');
    expect(r.stdout).toContain("Job local_test completed successfully.");
  });

  it("a failing handler: the worker's error and exit 1", async () => {
    const r = await test(["worker.mjs", "--input", "{}"]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(
      /Job local_test failed with error: .*input\.name is required/,
    );
    expect(r.stdout).not.toContain("completed successfully");
  });

  it("--json: the result alone on stdout, the worker's log on stderr; a failure as a JSON error", async () => {
    const ok = await test(["worker.mjs", "--input", '{"name": "Ada"}', "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ output: { greeting: "Hello Ada!" } });
    expect(ok.stderr).toContain("Job local_test completed successfully.");
    const failed = await test(["worker.mjs", "--input", "{}", "--json"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    const { error } = JSON.parse(failed.stderr.trim().split("\n").at(-1) as string);
    expect(error).toEqual({
      message: "The job failed: TypeError: input.name is required",
      type: "CliError",
    });
  });

  it("reads test_input.json in the working directory by default, even under a platform's env", async () => {
    const missing = await test(["worker.mjs"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: No test_input.json in ${dir}; pass the input with --input '<json>', or write {"input": …} to test_input.json\n`,
    );
    writeFileSync(join(dir, "test_input.json"), '{"input": {"name": "File"}}');
    const env = { RUNPOD_WEBHOOK_GET_JOB: "http://127.0.0.1:9/job-take/$ID" };
    const r = await test(["worker.mjs"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('{"greeting": "Hello File!"}');
    const file = join(home, "input.json");
    writeFileSync(file, '{"name": "Input file"}');
    const fromFile = await test(["worker.mjs", "--input-file", file]);
    expect(fromFile.stdout).toContain('{"greeting": "Hello Input file!"}');
  });

  it("bad --input JSON is a usage error; so is a file that is not a worker", async () => {
    const bad = await test(["worker.mjs", "--input", "{oops"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --input: is not valid JSON/);
    const kind = await test(["notes.txt", "--input", "{}"]);
    expect(kind.code).toBe(2);
    const none = await test(["gone.mjs", "--input", "{}"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No worker file at");
  });
});
