import { JobCancelledError } from "../../../core/job-errors.js";
import type { CommandContext } from "../../context.js";
import { jobArg } from "./job.js";
import { jobFailure, readable } from "./outcome.js";

/**
 * `runpod-ts endpoint stream ENDPOINT_ID JOB_ID`: each output as it arrives, one line per chunk
 * (one JSON value per line with `--json`, for `jq`). Exits 1 unless the job completed.
 */
export async function streamJob(ctx: CommandContext): Promise<void> {
  const { job, endpointId, baseUrlFlag } = await jobArg(ctx);
  try {
    for await (const chunk of job.stream()) {
      ctx.out.print(ctx.out.json ? JSON.stringify(chunk) : readable(chunk));
    }
    // The stream ends quietly on CANCELLED as on COMPLETED; only the status tells them apart.
    const final = await job.status();
    if (final.status === "CANCELLED") throw new JobCancelledError(job.id);
  } catch (error) {
    throw jobFailure(error, endpointId, baseUrlFlag);
  }
}
