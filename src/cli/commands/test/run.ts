import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CommandContext } from "../../context.js";
import { ChildExit, CliError } from "../../errors.js";
import { workerCommand } from "../dev/worker-command.js";
import { readJobInput } from "../endpoint/job-input.js";
import { workerError } from "../endpoint/outcome.js";

/**
 * `runpod-ts test WORKER_FILE [--input JSON | --input-file F]`: runs the worker in its one-shot
 * mode (`--test_input`, §A.11.1), which runs the handler once without any platform, logs the
 * result and exits 0, or 1 when the job failed. We exit with its code.
 */
export async function testWorker(ctx: CommandContext): Promise<void> {
  const worker = await workerCommand(ctx, ctx.args[0]);
  const job = await testJob(ctx);
  // Without the platform's variables, the worker cannot mistake this for production.
  const env = Object.fromEntries(
    Object.entries(ctx.io.env).filter(([name]) => !name.startsWith("RUNPOD_WEBHOOK_")),
  );
  const json = ctx.globals.json;
  let log = "";
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(worker.command, [...worker.args, "--test_input", job], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // With --json, stdout carries only the result: the worker's log goes to stderr.
    child.stdout.on("data", (chunk: Buffer) => {
      if (json) log += chunk.toString("utf8");
      (json ? ctx.io.stderr : ctx.io.stdout).write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => ctx.io.stderr.write(chunk));
    child.on("error", reject);
    // A worker killed by a signal has no code: that is a failed test.
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  });
  if (json) return printJsonOutcome(ctx, log, code);
  if (code !== 0) throw new ChildExit("the worker", code);
}

/**
 * The job's result as JSON, read from the worker's log lines (§A.11.1: `Job result: {…}` on
 * success, `Job … failed with error: …` on failure), which both our worker and Python's print.
 */
function printJsonOutcome(ctx: CommandContext, log: string, code: number): void {
  const result = /Job result: (.*)$/m.exec(log)?.[1];
  if (code === 0 && result !== undefined) {
    ctx.out.data(JSON.parse(result), () => result);
    return;
  }
  const failed = /Job \S+ failed with error: (.*)$/m.exec(log)?.[1];
  throw new CliError(
    failed === undefined
      ? `The worker exited with code ${code} without a result`
      : `The job failed: ${workerError(failed).line}`,
  );
}

/** The job as JSON text: `{"input": …}` from the flags, else test_input.json as it is. */
async function testJob(ctx: CommandContext): Promise<string> {
  if (ctx.options.input !== undefined || ctx.options.inputFile !== undefined) {
    return JSON.stringify({ input: await readJobInput(ctx) });
  }
  const path = join(process.cwd(), "test_input.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new CliError(
      `No test_input.json in ${process.cwd()}`,
      `pass the input with --input '<json>', or write {"input": …} to test_input.json`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON (${(error as Error).message})`, "fix the file");
  }
  return text;
}
