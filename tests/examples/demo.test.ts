/**
 * `npm run demo` without its build step: examples/demo.mjs against the built dist/ (the global
 * setup rebuilds it when a source is newer), run as a child process like a user would.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { type ProcessResult, runProcess } from "../helpers/run-process.js";

const root = join(import.meta.dirname, "..", "..");

function runDemo(): Promise<ProcessResult> {
  return runProcess(process.execPath, [join(root, "examples", "demo.mjs")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "" },
  });
}

it("runs every step against the example workers and exits 0", async () => {
  const { code, stdout, stderr } = await runDemo();
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toContain('echo.runSync({"name":"Ada"}) -> {"greeting":"Hello Ada!"}');
  expect(stdout).toContain('job.output() -> {"greeting":"Hello Grace!"}');
  expect(stdout).toMatch(
    /chunk \{"index":0,"word":"word-0"\}\n.*chunk \{"index":1,"word":"word-1"\}\n.*chunk \{"index":2,"word":"word-2"\}\n.*chunk \{"index":3,"word":"word-3"\}\n.*job\.output\(\) -> 4 chunks/,
  );
  expect(stdout).toContain("job.cancel() -> CANCELLED");
  expect(stdout).toMatch(
    /the handler saw ctx\.signal abort: aborted \(stopped\) after \d+ of 200 words/,
  );
  expect(stdout).toMatch(
    /echo +jobs: completed 2, failed 0, in queue 0, in progress 0; workers: idle 1/,
  );
  expect(stdout).toMatch(
    /stream jobs: completed 1, failed 0, in queue 0, in progress 0; workers: idle 1/,
  );
  expect(stdout).toContain("Workers stopped (exit codes 0, 0), platforms closed. Demo OK.");
});
