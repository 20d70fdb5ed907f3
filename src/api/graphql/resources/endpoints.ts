import * as z from "zod";
import { NotFoundError } from "../../../core/api-errors.js";
import {
  DeleteEndpointDocument,
  EndpointDocument,
  type EndpointFieldsFragment,
  type EndpointInput,
  type FlashBootType,
  MyEndpointsDocument,
  SaveEndpointDocument,
  UpdateEndpointTemplateDocument,
  type UpdateEndpointTemplateMutation,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { check, compact, defined, id, nonNegativeInt, positiveInt, required } from "./shared.js";

/** A serverless endpoint (runpod-python's endpoint field set plus what an update sends back). */
export type Endpoint = EndpointFieldsFragment;
/** What `updateEndpointTemplate` answers with. */
export type EndpointTemplateChange = NonNullable<
  UpdateEndpointTemplateMutation["updateEndpointTemplate"]
>;
/** `QUEUE_DELAY` scales on seconds waited in the queue, `REQUEST_COUNT` on queued requests. */
export type ScalerType = "QUEUE_DELAY" | "REQUEST_COUNT";

/** Options of `createEndpoint`; defaults are runpod-python's. */
export interface CreateEndpointInput {
  name: string;
  templateId: string;
  /** GPU pool ids, comma-separated, e.g. `"AMPERE_16,ADA_24"`. @default "AMPERE_16" */
  gpuIds?: string;
  /** @default 1 */
  gpuCount?: number;
  /** @default "" (none) */
  networkVolumeId?: string;
  /** Data-centre or country restriction. @default "" (anywhere) */
  locations?: string;
  /** Seconds a worker stays up with no work. @default 5 */
  idleTimeout?: number;
  /** @default "QUEUE_DELAY" */
  scalerType?: ScalerType;
  /** Seconds of queue delay, or requests per worker. @default 4 */
  scalerValue?: number;
  /** @default 0 */
  workersMin?: number;
  /** @default 3 */
  workersMax?: number;
  /** Turn on FlashBoot. @default false */
  flashboot?: boolean;
  /** CUDA versions workers may run, e.g. `["12.4", "12.5"]` or `"12.4,12.5"`. */
  allowedCudaVersions?: string | string[];
  minCudaVersion?: string;
  /** Job execution timeout in milliseconds. */
  executionTimeoutMs?: number;
}

/**
 * What `updateEndpoint` can change. Only the fields given change; the rest keep the endpoint's
 * current values.
 */
export type UpdateEndpointInput = Partial<Omit<CreateEndpointInput, "flashboot">> & {
  /** Turn FlashBoot on or off. */
  flashboot?: boolean;
};

const cudaSchema = z
  .union([z.string(), z.array(z.string().min(1))])
  .transform((v) => (Array.isArray(v) ? v.join(",") : v).replace(/\s+/g, ""));

const endpointFields = z.object({
  name: z.string().min(1, "name is required"),
  templateId: z.string().min(1, "templateId is required"),
  gpuIds: z.string().min(1),
  gpuCount: positiveInt,
  networkVolumeId: z.string(),
  locations: z.string(),
  idleTimeout: positiveInt,
  scalerType: z.enum(["QUEUE_DELAY", "REQUEST_COUNT"]),
  scalerValue: positiveInt,
  workersMin: nonNegativeInt,
  workersMax: nonNegativeInt,
  flashboot: z.boolean(),
  allowedCudaVersions: cudaSchema,
  minCudaVersion: z.string().min(1),
  executionTimeoutMs: positiveInt,
});

const workersInOrder = (p: { workersMin?: number | undefined; workersMax?: number | undefined }) =>
  p.workersMin === undefined || p.workersMax === undefined || p.workersMin <= p.workersMax;
const workersMessage = { message: "workersMin must not exceed workersMax", path: ["workersMin"] };

const createSchema = endpointFields
  .extend({
    gpuIds: endpointFields.shape.gpuIds.default("AMPERE_16"),
    gpuCount: positiveInt.default(1),
    networkVolumeId: z.string().default(""),
    locations: z.string().default(""),
    idleTimeout: positiveInt.default(5),
    scalerType: endpointFields.shape.scalerType.default("QUEUE_DELAY"),
    scalerValue: positiveInt.default(4),
    workersMin: nonNegativeInt.default(0),
    workersMax: nonNegativeInt.default(3),
    flashboot: z.boolean().default(false),
    allowedCudaVersions: cudaSchema.optional(),
    minCudaVersion: z.string().min(1).optional(),
    executionTimeoutMs: positiveInt.optional(),
  })
  .strict()
  .refine(workersInOrder, workersMessage);

const updateSchema = endpointFields.partial().strict();

function flashBootType(flashboot: boolean | undefined): FlashBootType | undefined {
  if (flashboot === undefined) return undefined;
  return flashboot ? "FLASHBOOT" : "OFF";
}

export async function getEndpoints(t: OperationExecutor): Promise<Endpoint[]> {
  return compact((await t.execute(MyEndpointsDocument, {})).myself?.endpoints);
}

export async function getEndpoint(
  t: OperationExecutor,
  endpointId: string,
): Promise<Endpoint | undefined> {
  const input = check(z.object({ id: id("endpointId") }), { id: endpointId }, "getEndpoint");
  return (await t.execute(EndpointDocument, input)).myself?.endpoint ?? undefined;
}

export async function createEndpoint(
  t: OperationExecutor,
  input: CreateEndpointInput,
): Promise<Endpoint> {
  const { flashboot, ...p } = check(createSchema, input, "createEndpoint");
  // runpod-python sends flashBootType only to turn FlashBoot on.
  const data = await t.execute(SaveEndpointDocument, {
    input: defined({ ...p, flashBootType: flashboot ? ("FLASHBOOT" as const) : undefined }),
  });
  return required(data.saveEndpoint, "saveEndpoint");
}

/** The endpoint as an `EndpointInput`: every field that `saveEndpoint` accepts and we read back. */
function asInput(e: Endpoint): EndpointInput {
  return defined({
    id: e.id ?? undefined,
    name: e.name ?? undefined,
    templateId: e.templateId ?? undefined,
    gpuIds: e.gpuIds ?? undefined,
    gpuCount: e.gpuCount ?? undefined,
    instanceIds: e.instanceIds ? compact(e.instanceIds) : undefined,
    workersMin: e.workersMin ?? undefined,
    workersMax: e.workersMax ?? undefined,
    idleTimeout: e.idleTimeout ?? undefined,
    scalerType: e.scalerType ?? undefined,
    scalerValue: e.scalerValue ?? undefined,
    executionTimeoutMs: e.executionTimeoutMs ?? undefined,
    locations: e.locations ?? undefined,
    networkVolumeId: e.networkVolumeId ?? undefined,
    allowedCudaVersions: e.allowedCudaVersions ?? undefined,
    minCudaVersion: e.minCudaVersion ?? undefined,
    flashBootType: e.flashBootType ?? undefined,
    modelReferences: e.modelReferences ? compact(e.modelReferences) : undefined,
    type: e.type ?? undefined,
  });
}

export async function updateEndpoint(
  t: OperationExecutor,
  endpointId: string,
  changes: UpdateEndpointInput,
): Promise<Endpoint> {
  check(z.object({ id: id("endpointId") }), { id: endpointId }, "updateEndpoint");
  const { flashboot, ...p } = check(updateSchema, changes, "updateEndpoint");
  const current = await getEndpoint(t, endpointId);
  if (current === undefined) {
    throw new NotFoundError(`No endpoint "${endpointId}" on this account`, { status: undefined });
  }
  const merged: EndpointInput = {
    ...asInput(current),
    ...defined(p),
    ...defined({ flashBootType: flashBootType(flashboot) }),
    id: endpointId,
  };
  check(
    z
      .object({ workersMin: z.number().optional(), workersMax: z.number().optional() })
      .refine(workersInOrder, workersMessage),
    { workersMin: merged.workersMin ?? undefined, workersMax: merged.workersMax ?? undefined },
    "updateEndpoint",
  );
  // Not retried: a repeated full replace could undo a concurrent change made in between.
  const data = await t.execute(SaveEndpointDocument, { input: merged });
  return required(data.saveEndpoint, "saveEndpoint");
}

export async function updateEndpointTemplate(
  t: OperationExecutor,
  endpointId: string,
  templateId: string,
): Promise<EndpointTemplateChange> {
  const input = check(
    z.object({ endpointId: id("endpointId"), templateId: id("templateId") }),
    { endpointId, templateId },
    "updateEndpointTemplate",
  );
  // Pointing an endpoint at a template twice leaves the same state: safe to retry.
  const data = await t.execute(UpdateEndpointTemplateDocument, { input }, { idempotent: true });
  return required(data.updateEndpointTemplate, "updateEndpointTemplate");
}

export async function deleteEndpoint(t: OperationExecutor, endpointId: string): Promise<void> {
  const input = check(z.object({ id: id("endpointId") }), { id: endpointId }, "deleteEndpoint");
  await t.execute(DeleteEndpointDocument, input);
}
