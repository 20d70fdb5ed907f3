import * as z from "zod";
import { ValidationError } from "../../../core/errors.js";
import {
  type CloudTypeEnum,
  DeployCpuPodDocument,
  type DeployedPodFieldsFragment,
  MyPodsDocument,
  PodBidResumeDocument,
  PodDocument,
  type PodFieldsFragment,
  PodFindAndDeployOnDemandDocument,
  PodRentInterruptableDocument,
  PodResumeDocument,
  PodStopDocument,
  type PodStopMutation,
  PodTerminateDocument,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { getGpu } from "./gpus.js";
import {
  check,
  compact,
  defined,
  envList,
  envSchema,
  id,
  nonNegativeInt,
  portsSchema,
  positiveInt,
  required,
} from "./shared.js";
import { getUser } from "./user.js";

/** A pod as listed by `getPods` / `getPod` (runpod-python's pod field set). */
export type Pod = PodFieldsFragment;
/** What a create or resume answers with. */
export type DeployedPod = DeployedPodFieldsFragment;
/** What `stopPod` answers with. */
export type StoppedPod = NonNullable<PodStopMutation["podStop"]>;
/** `ALL` (either cloud), `COMMUNITY` or `SECURE`. */
export type CloudType = CloudTypeEnum;

/** Options of `createPod`; defaults are runpod-python's. */
export interface CreatePodInput {
  /** The pod's name. */
  name: string;
  /** Container image. One of `imageName` and `templateId` is required. */
  imageName?: string;
  /** Template to start from. CPU pods default to `runpod-ubuntu`, as in runpod-python. */
  templateId?: string;
  /** GPU type id, e.g. `"NVIDIA GeForce RTX 4090"`. Without it a CPU pod is deployed. */
  gpuTypeId?: string;
  /** @default "ALL" */
  cloudType?: CloudType;
  /** GPU pods only. @default true */
  supportPublicIp?: boolean;
  /** @default true */
  startSsh?: boolean;
  /** Data-centre id, e.g. `"EU-RO-1"`. Taken from the network volume when one is given. */
  dataCenterId?: string;
  countryCode?: string;
  /** GPU pods only. @default 1 */
  gpuCount?: number;
  /** Persistent volume size, GPU pods only. @default 0 */
  volumeInGb?: number;
  /** @default 10 when no template is given, else the template's */
  containerDiskInGb?: number;
  /** GPU pods only. @default 1 */
  minVcpuCount?: number;
  /** GPU pods only. @default 1 */
  minMemoryInGb?: number;
  /** Start command. @default "" */
  dockerArgs?: string;
  /** `"8888/http,22/tcp"` or `["8888/http", "22/tcp"]`. */
  ports?: string | string[];
  /** @default "/runpod-volume" */
  volumeMountPath?: string;
  /** Environment variables. */
  env?: Record<string, string>;
  networkVolumeId?: string;
  /** GPU pods only, e.g. `["12.4", "12.5"]`. */
  allowedCudaVersions?: string[];
  /** GPU pods only. */
  minCudaVersion?: string;
  /** Minimum download speed in Mbps. */
  minDownload?: number;
  /** Minimum upload speed in Mbps. */
  minUpload?: number;
  /** CPU pods only: instance id such as `"cpu3c-2-4"`. */
  instanceId?: string;
  /** GPU pods only: registry credentials for a private image. */
  containerRegistryAuthId?: string;
}

/** Options of `createSpotPod`: a GPU pod that may be interrupted, at a bid price per GPU. */
export interface CreateSpotPodInput extends Omit<CreatePodInput, "instanceId" | "gpuTypeId"> {
  /** Required for spot pods. */
  gpuTypeId: string;
  /** Bid in $/hour per GPU. */
  bidPerGpu: number;
}

const podFields = z.object({
  name: z.string().min(1, "name is required"),
  imageName: z.string().optional(),
  templateId: z.string().min(1).optional(),
  gpuTypeId: z.string().min(1).optional(),
  cloudType: z.enum(["ALL", "COMMUNITY", "SECURE"]).default("ALL"),
  supportPublicIp: z.boolean().default(true),
  startSsh: z.boolean().default(true),
  dataCenterId: z.string().min(1).optional(),
  countryCode: z.string().min(1).optional(),
  gpuCount: positiveInt.default(1),
  volumeInGb: nonNegativeInt.default(0),
  containerDiskInGb: nonNegativeInt.optional(),
  minVcpuCount: positiveInt.default(1),
  minMemoryInGb: positiveInt.default(1),
  dockerArgs: z.string().default(""),
  ports: portsSchema.optional(),
  volumeMountPath: z.string().min(1).default("/runpod-volume"),
  env: envSchema.optional(),
  networkVolumeId: z.string().min(1).optional(),
  allowedCudaVersions: z.array(z.string().min(1)).optional(),
  minCudaVersion: z.string().min(1).optional(),
  minDownload: positiveInt.optional(),
  minUpload: positiveInt.optional(),
  instanceId: z.string().min(1).optional(),
  containerRegistryAuthId: z.string().min(1).optional(),
});

const hasImageOrTemplate = (p: {
  imageName?: string | undefined;
  templateId?: string | undefined;
}) => Boolean(p.imageName) || p.templateId !== undefined;
const imageOrTemplate = { message: "imageName or templateId is required", path: ["imageName"] };

// Strict: a misspelt option is an error rather than a silently ignored field.
const createPodSchema = podFields.strict().refine(hasImageOrTemplate, imageOrTemplate);
const spotSchema = podFields
  .omit({ instanceId: true })
  .extend({ gpuTypeId: z.string().min(1), bidPerGpu: z.number().positive() })
  .strict()
  .refine(hasImageOrTemplate, imageOrTemplate);

type ParsedCreatePod = z.output<typeof podFields>;

export async function getPods(t: OperationExecutor): Promise<Pod[]> {
  const data = await t.execute(MyPodsDocument, {});
  return compact(data.myself?.pods);
}

export async function getPod(t: OperationExecutor, podId: string): Promise<Pod | undefined> {
  const input = check(z.object({ podId: id("podId") }), { podId }, "getPod");
  const data = await t.execute(PodDocument, input);
  return data.pod ?? undefined;
}

/**
 * Fields both deploy mutations share, after runpod-python's checks: the GPU type must exist, and
 * a network volume without a data centre pins the pod to the volume's data centre.
 */
async function resolvePlacement(t: OperationExecutor, p: ParsedCreatePod, method: string) {
  if (p.gpuTypeId !== undefined && (await getGpu(t, p.gpuTypeId)) === undefined) {
    throw new ValidationError(`${method}() input`, [
      { path: ["gpuTypeId"], message: `unknown GPU type "${p.gpuTypeId}" (see getGpus())` },
    ]);
  }
  if (p.networkVolumeId === undefined || p.dataCenterId !== undefined) return p.dataCenterId;
  const volume = compact((await getUser(t)).networkVolumes).find((v) => v.id === p.networkVolumeId);
  if (volume?.dataCenterId == null) {
    throw new ValidationError(`${method}() input`, [
      {
        path: ["networkVolumeId"],
        message: `no network volume "${p.networkVolumeId}" on this account`,
      },
    ]);
  }
  return volume.dataCenterId;
}

function commonFields(p: ParsedCreatePod, dataCenterId: string | undefined) {
  return defined({
    name: p.name,
    imageName: p.imageName ?? "",
    cloudType: p.cloudType,
    // runpod-python leaves the field out rather than sending false.
    startSsh: p.startSsh ? true : undefined,
    dataCenterId,
    countryCode: p.countryCode,
    dockerArgs: p.dockerArgs,
    containerDiskInGb: p.containerDiskInGb ?? (p.templateId === undefined ? 10 : undefined),
    ports: p.ports,
    volumeMountPath: p.volumeMountPath,
    env: envList(p.env),
    networkVolumeId: p.networkVolumeId,
    minDownload: p.minDownload,
    minUpload: p.minUpload,
  });
}

function gpuFields(p: ParsedCreatePod) {
  return defined({
    gpuTypeId: p.gpuTypeId,
    gpuCount: p.gpuCount,
    supportPublicIp: p.supportPublicIp,
    volumeInGb: p.volumeInGb,
    minVcpuCount: p.minVcpuCount,
    minMemoryInGb: p.minMemoryInGb,
    allowedCudaVersions: p.allowedCudaVersions,
    templateId: p.templateId,
  });
}

export async function createPod(t: OperationExecutor, input: CreatePodInput): Promise<DeployedPod> {
  const p = check(createPodSchema, input, "createPod");
  const dataCenterId = await resolvePlacement(t, p, "createPod");
  if (p.gpuTypeId === undefined) {
    const data = await t.execute(DeployCpuPodDocument, {
      input: {
        ...commonFields(p, dataCenterId),
        templateId: p.templateId ?? "runpod-ubuntu",
        ...defined({ instanceId: p.instanceId }),
      },
    });
    return required(data.deployCpuPod, "deployCpuPod");
  }
  const data = await t.execute(PodFindAndDeployOnDemandDocument, {
    input: {
      ...commonFields(p, dataCenterId),
      ...gpuFields(p),
      ...defined({
        minCudaVersion: p.minCudaVersion,
        containerRegistryAuthId: p.containerRegistryAuthId,
      }),
    },
  });
  return required(data.podFindAndDeployOnDemand, "podFindAndDeployOnDemand");
}

export async function createSpotPod(
  t: OperationExecutor,
  input: CreateSpotPodInput,
): Promise<DeployedPod> {
  const p = check(spotSchema, input, "createSpotPod");
  const dataCenterId = await resolvePlacement(t, p, "createSpotPod");
  const data = await t.execute(PodRentInterruptableDocument, {
    input: { ...commonFields(p, dataCenterId), ...gpuFields(p), bidPerGpu: p.bidPerGpu },
  });
  return required(data.podRentInterruptable, "podRentInterruptable");
}

const podIdSchema = z.object({ podId: id("podId") });

export async function stopPod(t: OperationExecutor, podId: string): Promise<StoppedPod> {
  const input = check(podIdSchema, { podId }, "stopPod");
  // Stopping a stopped pod leaves it stopped, so a lost answer may be retried.
  const data = await t.execute(PodStopDocument, { input }, { idempotent: true });
  return required(data.podStop, "podStop");
}

export async function resumePod(
  t: OperationExecutor,
  podId: string,
  gpuCount?: number,
): Promise<DeployedPod> {
  const input = check(
    z.object({ podId: id("podId"), gpuCount: positiveInt.optional() }),
    { podId, gpuCount },
    "resumePod",
  );
  const data = await t.execute(PodResumeDocument, { input: defined(input) });
  return required(data.podResume, "podResume");
}

/** Options of `resumeSpotPod`. */
export interface ResumeSpotPodInput {
  /** Bid in $/hour per GPU. */
  bidPerGpu: number;
  /** @default 1 */
  gpuCount?: number;
}

export async function resumeSpotPod(
  t: OperationExecutor,
  podId: string,
  options: ResumeSpotPodInput,
): Promise<DeployedPod> {
  const input = check(
    z.object({
      podId: id("podId"),
      bidPerGpu: z.number().positive(),
      gpuCount: positiveInt.default(1),
    }),
    { podId, ...options },
    "resumeSpotPod",
  );
  const data = await t.execute(PodBidResumeDocument, { input });
  return required(data.podBidResume, "podBidResume");
}

export async function terminatePod(t: OperationExecutor, podId: string): Promise<void> {
  const input = check(podIdSchema, { podId }, "terminatePod");
  // Not retried: if a first attempt's answer is lost, a retry would report an unknown pod.
  await t.execute(PodTerminateDocument, { input });
}
