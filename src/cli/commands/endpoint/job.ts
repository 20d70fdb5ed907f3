import * as z from "zod";
import { Endpoint } from "../../../endpoint/endpoint.js";
import type { JobHandle } from "../../../endpoint/job-handle.js";
import type { JobStatus } from "../../../protocol/status.js";
import type { CommandContext } from "../../context.js";
import { intFlag, textFlag } from "../../flags.js";
import type { Styles } from "../../output/color.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";
import { connectEndpoint } from "./connect.js";
import { jobFailure, readable, statusFailure, workerError } from "./outcome.js";

/** The job named by the second argument, on the endpoint named by the first. */
export async function jobArg(
  ctx: CommandContext,
): Promise<{ job: JobHandle; endpointId: string; baseUrlFlag: string }> {
  const jobId = parseFlags(ctx, z.object({ jobId: textFlag() }), { jobId: ctx.args[1] }).jobId;
  const { endpointId, options, baseUrlFlag } = await connectEndpoint(ctx);
  return { job: Endpoint.job(endpointId, jobId, options), endpointId, baseUrlFlag };
}

const statusFlags = () =>
  z
    .object({ wait: z.boolean().optional(), timeout: intFlag(1).optional() })
    .refine((f) => f.wait || f.timeout === undefined, {
      message: "only applies with --wait",
      path: ["timeout"],
    });

/**
 * `runpod-ts endpoint status ENDPOINT_ID JOB_ID [--wait]`. Prints the status; a job that ended
 * FAILED, CANCELLED or TIMED_OUT then exits 1, so scripts can test the outcome. `--wait` waits
 * for the output instead, as `runsync` does.
 */
export async function jobStatus(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, statusFlags(), ctx.options);
  const { job, endpointId, baseUrlFlag } = await jobArg(ctx);
  if (f.wait) {
    const output = await ctx.out
      .spin(`Waiting for job ${job.id}`, () =>
        job.output(f.timeout === undefined ? {} : { timeoutMs: f.timeout * 1000 }),
      )
      .catch((error: unknown) => {
        throw jobFailure(error, endpointId, baseUrlFlag);
      });
    ctx.out.data(output ?? null, (o) => readable(o, 2));
    return;
  }
  const status = await ctx.out.spin(`Fetching job ${job.id}`, () => job.status());
  ctx.out.data(status, (s) => statusDetails(s, ctx.out.style));
  const failure = statusFailure(status, endpointId, baseUrlFlag);
  if (failure !== undefined) throw failure;
}

/** `runpod-ts endpoint cancel ENDPOINT_ID JOB_ID` */
export async function cancelJob(ctx: CommandContext): Promise<void> {
  const { job } = await jobArg(ctx);
  const status = await ctx.out.spin(`Cancelling job ${job.id}`, () => job.cancel());
  ctx.out.data(status, (s) => `Cancelled job ${s.id} (now ${s.status})`);
}

/** `runpod-ts endpoint retry ENDPOINT_ID JOB_ID` */
export async function retryJob(ctx: CommandContext): Promise<void> {
  const { job } = await jobArg(ctx);
  const status = await ctx.out.spin(`Retrying job ${job.id}`, () => job.retry());
  ctx.out.data(status, (s) => `Queued job ${s.id} again (now ${s.status})`);
}

function ms(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${value} ms`;
}

export function statusDetails(s: JobStatus, style: Styles): string {
  const error = s.error === undefined ? undefined : workerError(s.error).line;
  const state =
    s.status === "COMPLETED"
      ? style.green(s.status)
      : s.status === "FAILED" || s.status === "CANCELLED" || s.status === "TIMED_OUT"
        ? style.red(s.status)
        : style.yellow(s.status);
  return formatDetails(
    [
      ["ID", s.id],
      ["Status", state],
      ["Queued", ms(s.delayTime)],
      ["Execution", ms(s.executionTime)],
      ["Worker", s.workerId],
      ["Retries", s.retries === undefined ? undefined : String(s.retries)],
      ["Output", s.output === undefined ? undefined : readable(s.output)],
      ["Error", error],
    ],
    style.bold,
  );
}
