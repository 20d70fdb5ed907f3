import * as z from "zod";
import type { CreatePodInput } from "../../../api/graphql/resources/pods.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { commaListFlag, envFlag, intFlag, textFlag } from "../../flags.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";

const flags = z
  .object({
    name: textFlag,
    image: textFlag.optional(),
    templateId: textFlag.optional(),
    gpu: textFlag.optional(),
    gpuCount: intFlag(1),
    cloudType: z.enum(["ALL", "SECURE", "COMMUNITY"]).optional(),
    publicIp: z.boolean(),
    ssh: z.boolean(),
    containerDisk: intFlag(1).optional(),
    volume: intFlag(0),
    volumePath: textFlag,
    networkVolumeId: textFlag.optional(),
    dataCenterId: textFlag.optional(),
    countryCode: textFlag.optional(),
    ports: textFlag.optional(),
    env: envFlag.optional(),
    dockerArgs: z.string().optional(),
    minVcpu: intFlag(1),
    minMemory: intFlag(1),
    cuda: commaListFlag.optional(),
    minCuda: textFlag.optional(),
    minDownload: intFlag(1).optional(),
    minUpload: intFlag(1).optional(),
    instanceId: textFlag.optional(),
    registryAuthId: textFlag.optional(),
  })
  .refine((f) => f.image !== undefined || f.templateId !== undefined, {
    message: "give an image, or a template with --template-id",
    path: ["image"],
  })
  // Flags that only a GPU deployment sends: without --gpu they would be silently dropped.
  .refine((f) => f.gpu !== undefined || (f.cuda === undefined && f.minCuda === undefined), {
    message: "CUDA constraints apply to GPU pods only; add --gpu",
    path: ["cuda"],
  })
  .refine((f) => f.gpu === undefined || f.instanceId === undefined, {
    message: "an instance id is for CPU pods only; drop it or --gpu",
    path: ["instanceId"],
  });

/** `runpod-ts pod create`: every input of `RunpodApi.createPod`, checked before anything is sent. */
export async function createPod(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const input: CreatePodInput = {
    name: f.name,
    imageName: f.image,
    templateId: f.templateId,
    gpuTypeId: f.gpu,
    cloudType: f.cloudType,
    supportPublicIp: f.publicIp,
    startSsh: f.ssh,
    dataCenterId: f.dataCenterId,
    countryCode: f.countryCode,
    gpuCount: f.gpuCount,
    volumeInGb: f.volume,
    containerDiskInGb: f.containerDisk,
    minVcpuCount: f.minVcpu,
    minMemoryInGb: f.minMemory,
    dockerArgs: f.dockerArgs,
    ports: f.ports,
    volumeMountPath: f.volumePath,
    env: f.env,
    networkVolumeId: f.networkVolumeId,
    allowedCudaVersions: f.cuda,
    minCudaVersion: f.minCuda,
    minDownload: f.minDownload,
    minUpload: f.minUpload,
    instanceId: f.instanceId,
    containerRegistryAuthId: f.registryAuthId,
  };
  const api = await connectApi(ctx);
  const kind = f.gpu === undefined ? "CPU pod" : `${f.gpuCount} × ${f.gpu} pod`;
  const pod = await ctx.out.spin(`Deploying a ${kind}`, () => api.graphql.createPod(input));
  ctx.out.data(pod, (p) =>
    [
      `Created ${kind} ${p.id}`,
      formatDetails([
        ["Status", p.desiredStatus],
        ["Image", p.imageName || undefined],
        ["Machine", p.machineId],
      ]),
      "",
      `Follow it with \`runpod-ts pod get ${p.id}\`; connect with \`runpod-ts pod ssh ${p.id}\`.`,
    ].join("\n"),
  );
}
