import * as z from "zod/mini";
import type { ValidationIssue } from "../../core/errors.js";
import { toIssues } from "../../core/validate.js";
import { HttpError } from "../http-errors.js";

/**
 * REST v2's `CreateEndpointRequest` (vendored `openapi/runpod-rest-v2.openapi.json`) as the local
 * platform checks it: closed objects, the document's bounds, its `image`-unless-`templateId` and
 * LOAD_BALANCER-needs-REQUEST_COUNT conditions (422 with each violation, as the API answers a body
 * that breaks the schema), then the cross-field rules the API answers 400 to.
 */

const CUDA_VERSION = /^\d+\.\d+$/;
const strings = z.array(z.string());

const queueDelayScaling = z.strictObject({
  type: z.literal("QUEUE_DELAY"),
  queueDelay: z.number().check(z.gte(0.5)),
});
const requestCountScaling = z.strictObject({
  type: z.literal("REQUEST_COUNT"),
  requestCount: z.int().check(z.gte(1)),
});

const gpuSchema = z.strictObject({
  pools: strings.check(z.minLength(1)),
  excludedTypes: z.optional(strings),
  count: z.optional(z.int().check(z.gte(1))),
  allowedCudaVersions: z.optional(z.array(z.string().check(z.regex(CUDA_VERSION)))),
  minCudaVersion: z.optional(z.string().check(z.regex(CUDA_VERSION))),
});

const cpuSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  vcpuCount: z.int().check(z.gte(2)),
});

export const createEndpointSchema = z
  .strictObject({
    name: z.string().check(z.minLength(1)),
    type: z.enum(["QUEUE", "LOAD_BALANCER"]),
    scaling: z.discriminatedUnion("type", [queueDelayScaling, requestCountScaling]),
    gpu: z.optional(gpuSchema),
    cpu: z.optional(z.array(cpuSchema).check(z.minLength(1))),
    workers: z.optional(
      z.strictObject({
        min: z.optional(z.int().check(z.gte(0))),
        max: z.optional(z.int().check(z.gte(0))),
        idleTimeout: z.optional(z.int().check(z.gte(1), z.lte(3600))),
      }),
    ),
    timeout: z.optional(z.int()),
    flashboot: z.optional(z.enum(["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"])),
    dataCenterIds: z.optional(strings),
    networkVolumes: z.optional(strings),
    templateId: z.optional(z.string().check(z.minLength(1))),
    image: z.optional(z.string()),
    args: z.optional(z.string()),
    disk: z.optional(z.int().check(z.gte(1))),
    env: z.optional(z.record(z.string(), z.string())),
    ports: z.optional(strings),
    registry: z.optional(z.nullable(z.string())),
  })
  .check(
    z.refine((b) => b.templateId !== undefined || b.image !== undefined, {
      message: "image is required unless templateId is given",
      path: ["image"],
    }),
    z.refine((b) => b.type !== "LOAD_BALANCER" || b.scaling.type === "REQUEST_COUNT", {
      message:
        "QUEUE_DELAY scaling is for queue-based endpoints; a LOAD_BALANCER endpoint scales on REQUEST_COUNT",
      path: ["scaling", "type"],
    }),
  );

export type CreateEndpointBody = z.output<typeof createEndpointSchema>;

/** Parses a create body: 422 listing each schema violation, 400 for the cross-field rules. */
export function parseCreateEndpoint(body: unknown): CreateEndpointBody {
  const parsed = z.safeParse(createEndpointSchema, body);
  if (!parsed.success) {
    const errors = violations(toIssues(parsed.error.issues, "key"));
    throw new HttpError(422, "validation failed", errors);
  }
  const b = parsed.data;
  if ((b.gpu === undefined) === (b.cpu === undefined)) {
    throw new HttpError(400, "specify exactly one of gpu or cpu");
  }
  if ((b.gpu?.allowedCudaVersions?.length ?? 0) > 0 && b.gpu?.minCudaVersion !== undefined) {
    throw new HttpError(
      400,
      "gpu.allowedCudaVersions (non-empty) and gpu.minCudaVersion are mutually exclusive",
    );
  }
  if (
    b.type === "QUEUE" &&
    b.scaling.type === "REQUEST_COUNT" &&
    b.workers?.idleTimeout !== undefined
  ) {
    throw new HttpError(
      400,
      "workers.idleTimeout does not apply to a queue-based endpoint scaling on requestCount",
    );
  }
  return b;
}

/** Each issue as the API words a violation: a JSON path from `$`, then what is wrong. */
export function violations(issues: readonly ValidationIssue[]): string[] {
  return issues.map((i) => {
    const path = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
    return `$${path}: ${i.message}`;
  });
}
