import * as z from "zod";
import {
  EXECUTION_TIMEOUT_MAX_MS,
  EXECUTION_TIMEOUT_MIN_MS,
  TTL_MAX_MS,
  TTL_MIN_MS,
} from "../../../protocol/limits.js";
import type { RunOptions } from "../../../protocol/run-request.js";
import { jobPolicySchema } from "../../../protocol/run-request.js";
import type { CommandContext } from "../../context.js";
import { intFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { connectEndpoint } from "./connect.js";
import { jsonFlag, readJobInput } from "./job-input.js";
import { jobFailure, readable } from "./outcome.js";

/** Whole seconds (as people type them) within the API's bounds, handed on in ms (as it takes them). */
const secondsFlag = (minMs: number, maxMs: number) =>
  intFlag(minMs / 1000)
    .pipe(z.number().max(maxMs / 1000, `must be at most ${maxMs / 1000}`))
    .transform((seconds) => seconds * 1000);

const runFlags = () =>
  z
    .object({
      webhook: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
      executionTimeout: secondsFlag(EXECUTION_TIMEOUT_MIN_MS, EXECUTION_TIMEOUT_MAX_MS).optional(),
      policyTtl: secondsFlag(TTL_MIN_MS, TTL_MAX_MS).optional(),
      lowPriority: z.boolean().optional(),
      policy: jsonFlag.pipe(jobPolicySchema).optional(),
    })
    .refine(
      (f) =>
        f.policy === undefined ||
        (f.executionTimeout === undefined && f.policyTtl === undefined && !f.lowPriority),
      { message: "give --policy or the separate policy flags, not both", path: ["policy"] },
    );

function runOptions(ctx: CommandContext): RunOptions {
  const f = parseFlags(ctx, runFlags(), ctx.options);
  const policy = f.policy ?? {
    ...(f.executionTimeout === undefined ? {} : { executionTimeout: f.executionTimeout }),
    ...(f.policyTtl === undefined ? {} : { ttl: f.policyTtl }),
    ...(f.lowPriority ? { lowPriority: true } : {}),
  };
  return {
    ...(f.webhook === undefined ? {} : { webhook: f.webhook }),
    ...(Object.keys(policy).length === 0 ? {} : { policy }),
  };
}

/** `runpod-ts endpoint run ENDPOINT_ID --input JSON`: submits and prints the job id. */
export async function runJob(ctx: CommandContext): Promise<void> {
  const options = runOptions(ctx);
  const input = await readJobInput(ctx);
  const { endpoint, endpointId, baseUrlFlag } = await connectEndpoint(ctx);
  const job = await ctx.out.spin("Submitting the job", () => endpoint.run(input, options));
  const ids = `${endpointId} ${job.id}${baseUrlFlag}`;
  ctx.out.data({ id: job.id, status: "IN_QUEUE" }, (j) =>
    [
      `Submitted job ${j.id}`,
      "",
      `Status:  runpod-ts endpoint status ${ids}`,
      `Wait:    runpod-ts endpoint status ${ids} --wait`,
      `Stream:  runpod-ts endpoint stream ${ids}`,
    ].join("\n"),
  );
}

const syncFlags = () => z.object({ timeout: intFlag(1).optional() });

/** `runpod-ts endpoint runsync ENDPOINT_ID --input JSON`: submits, waits, prints the output. */
export async function runJobSync(ctx: CommandContext): Promise<void> {
  const { timeout } = parseFlags(ctx, syncFlags(), ctx.options);
  const input = await readJobInput(ctx);
  const { endpoint, endpointId, baseUrlFlag } = await connectEndpoint(ctx);
  const output = await ctx.out
    .spin("Waiting for the job", () =>
      endpoint.runSync(input, timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    )
    .catch((error: unknown) => {
      throw jobFailure(error, endpointId, baseUrlFlag);
    });
  ctx.out.data(output ?? null, (o) => readable(o, 2));
}
