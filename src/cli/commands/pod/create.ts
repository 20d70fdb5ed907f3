import * as z from "zod";
import type { RunpodApi } from "../../../api/client.js";
import type { CreatePodRequest, Mounts, Pod } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import {
  commaListFlag,
  cudaVersionFlag,
  cudaVersionsFlag,
  envFlag,
  intFlag,
  textFlag,
  volumeGbFlag,
} from "../../flags.js";
import { orMissing } from "../../not-found.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";
import { statusText } from "./format.js";

/**
 * A flag of the GraphQL days that REST v2 cannot express: refused with the reason and the
 * alternative, never silently dropped (the pod would not be what the user asked for).
 */
const noV2 = (why: string) => z.undefined({ error: why }).optional();

/** `cpu3c-2-4` (flavor, vCPUs, memory) or `cpu3c-2`: v2 derives the memory from the flavor. */
const INSTANCE = /^([a-z][a-z0-9]*)-(\d+)(?:-\d+)?$/;

/** A CPU pod without --instance-id: runpod-python's default instance, cpu3c-2-4. */
const DEFAULT_CPU = { id: "cpu3c", vcpuCount: 2 };

const flags = z
  .object({
    name: textFlag(),
    image: textFlag().optional(),
    templateId: textFlag().optional(),
    gpu: textFlag().optional(),
    gpuCount: intFlag(1),
    cloudType: z
      .enum(["SECURE", "COMMUNITY"], {
        error:
          "REST v2 places a pod in one cloud (GraphQL's ALL is gone): give SECURE (the default) or COMMUNITY",
      })
      .optional(),
    ssh: z.boolean(),
    jupyter: z.boolean().default(false),
    globalNetworking: z.boolean().default(false),
    containerDisk: intFlag(1).optional(),
    volume: volumeGbFlag(),
    volumePath: textFlag(),
    networkVolumeId: textFlag().optional(),
    dataCenterId: commaListFlag().optional(),
    ports: commaListFlag().optional(),
    env: envFlag().optional(),
    dockerArgs: z.string().optional(),
    cuda: cudaVersionsFlag().optional(),
    minCuda: cudaVersionFlag().optional(),
    instanceId: z
      .string()
      .regex(INSTANCE, 'use FLAVOR-VCPUS[-GB], e.g. "cpu3c-2-4"')
      .refine((id) => {
        const vcpus = Number(INSTANCE.exec(id)?.[2]);
        return vcpus >= 2 && (vcpus & (vcpus - 1)) === 0;
      }, "the vCPU count must be a power of two, at least 2")
      .optional(),
    registryAuthId: textFlag().optional(),
    // Hidden options: REST v2 has no equivalent of these GraphQL inputs.
    publicIp: z.literal(true, {
      error:
        "REST v2 can neither require nor refuse a public IP; drop --no-public-ip (SECURE pods have one; `pod ssh` goes through Runpod's proxy for a pod without)",
    }),
    countryCode: noV2(
      "REST v2 places pods by data center, not country; give that country's data centers with --data-center-id (see `runpod-ts datacenter list`)",
    ),
    minVcpu: noV2(
      "REST v2 sets no vCPU minimum on GPU pods (the GPU type decides); drop it, or choose another GPU type",
    ),
    minMemory: noV2(
      "REST v2 sets no memory minimum on GPU pods (the GPU type decides); drop it, or choose another GPU type",
    ),
    minDownload: noV2("REST v2 cannot ask for a network speed; drop it"),
    minUpload: noV2("REST v2 cannot ask for a network speed; drop it"),
  })
  .refine((f) => f.image !== undefined || f.templateId !== undefined, {
    message: "give an image, or a template with --template-id",
    path: ["image"],
  })
  // Flags that only a GPU pod can carry: without --gpu they would be silently dropped.
  .refine((f) => f.gpu !== undefined || (f.cuda === undefined && f.minCuda === undefined), {
    message: "CUDA constraints apply to GPU pods only; add --gpu",
    path: ["cuda"],
  })
  .refine((f) => !(f.cuda?.length && f.minCuda !== undefined), {
    message: "give exact versions (--cuda) or a minimum (--min-cuda), not both",
    path: ["cuda"],
  })
  .refine((f) => f.gpu !== undefined || f.volume === 0, {
    message: "CPU pods have no persistent volume; attach a network volume with --network-volume-id",
    path: ["volume"],
  })
  .refine((f) => f.gpu !== undefined || !f.globalNetworking, {
    message: "global networking needs an NVIDIA GPU pod; add --gpu",
    path: ["globalNetworking"],
  })
  .refine((f) => f.volume === 0 || f.networkVolumeId === undefined, {
    message: "a pod mounts one volume: give --volume or --network-volume-id, not both",
    path: ["volume"],
  })
  .refine((f) => f.gpu === undefined || f.instanceId === undefined, {
    message: "an instance id is for CPU pods only; drop it or --gpu",
    path: ["instanceId"],
  });

type Flags = z.output<typeof flags>;

function compute(f: Flags): Pick<CreatePodRequest, "gpu" | "cpu"> {
  if (f.gpu !== undefined) {
    return {
      gpu: {
        id: f.gpu,
        count: f.gpuCount,
        ...(f.cuda?.length ? { allowedCudaVersions: f.cuda } : {}),
        ...(f.minCuda === undefined ? {} : { minCudaVersion: f.minCuda }),
      },
    };
  }
  const match = f.instanceId === undefined ? undefined : INSTANCE.exec(f.instanceId);
  return { cpu: match ? { id: String(match[1]), vcpuCount: Number(match[2]) } : DEFAULT_CPU };
}

function mounts(f: Flags): Mounts | undefined {
  if (f.volume > 0) return { persistent: { size: f.volume, path: f.volumePath } };
  if (f.networkVolumeId !== undefined) {
    return { network: [{ volumeId: f.networkVolumeId, path: f.volumePath }] };
  }
  return undefined;
}

/** The v2 create body for these flags; nothing is sent that the user did not ask for. */
function createPodRequest(f: Flags, dataCenterIds: string[] | undefined): CreatePodRequest {
  const mount = mounts(f);
  // GraphQL's default container disk when no template gives one.
  const disk = f.containerDisk ?? (f.templateId === undefined ? 10 : undefined);
  return {
    name: f.name,
    ...(f.image === undefined ? {} : { image: f.image }),
    ...(f.templateId === undefined ? {} : { templateId: f.templateId }),
    ...compute(f),
    ...(f.cloudType === undefined ? {} : { cloud: f.cloudType }),
    ...(dataCenterIds?.length ? { dataCenterIds } : {}),
    ...(mount === undefined ? {} : { mounts: mount }),
    ...(disk === undefined ? {} : { disk }),
    ...(f.ports?.length ? { ports: f.ports } : {}),
    ...(f.env === undefined ? {} : { env: f.env }),
    ...(f.dockerArgs === undefined ? {} : { args: f.dockerArgs }),
    ...(f.registryAuthId === undefined ? {} : { registry: f.registryAuthId }),
    ...(f.globalNetworking ? { globalNetworking: true } : {}),
    // Always sent: v2's default is false, and a template's own setting would otherwise win.
    startSsh: f.ssh,
    ...(f.jupyter ? { startJupyter: true } : {}),
  };
}

/**
 * What the server would otherwise get wrong or say vaguely, checked first: an unknown GPU type
 * (v2 would report it as missing capacity), and a network volume's data center (the pod must
 * run there; GraphQL placed it so, and v2 does not by itself).
 */
async function resolvePlacement(api: RunpodApi, f: Flags): Promise<string[] | undefined> {
  const gpu = f.gpu;
  const volumeId = f.networkVolumeId;
  const [, volume] = await Promise.all([
    gpu === undefined
      ? undefined
      : orMissing(
          api.catalog.gpu(gpu),
          `Unknown GPU type "${gpu}"`,
          "list the ids with `runpod-ts gpu list`",
        ),
    volumeId === undefined || f.dataCenterId !== undefined
      ? undefined
      : orMissing(
          api.networkVolumes.get(volumeId),
          `No network volume "${volumeId}" on this account`,
          "list them with `runpod-ts network-volume list`",
        ),
  ]);
  return volume === undefined ? f.dataCenterId : [volume.dataCenter];
}

/** `runpod-ts pod create`: every flag mapped onto REST v2's create body, checked before sending. */
export async function createPod(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const kind = f.gpu === undefined ? "CPU pod" : `${f.gpuCount} × ${f.gpu} pod`;
  const pod: Pod = await ctx.out.spin(`Deploying a ${kind}`, async () =>
    api.pods.create(createPodRequest(f, await resolvePlacement(api, f))),
  );
  ctx.out.data(pod, (p) =>
    [
      `Created ${kind} ${p.id}`,
      formatDetails(
        [
          ["Status", statusText(p.status, ctx.out.style)],
          ["Image", p.image || undefined],
          ["Cloud", p.cloud],
          ["Data center", p.dataCenterId ?? undefined],
          ["Cost", `$${p.cost.toFixed(3)}/h`],
        ],
        ctx.out.style.bold,
      ),
      "",
      `Follow it with \`runpod-ts pod get ${p.id}\`; connect with \`runpod-ts pod ssh ${p.id}\`.`,
    ].join("\n"),
  );
}
