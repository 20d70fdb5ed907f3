import * as z from "zod";
import type { Pod, UpdatePodRequest } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { commaListFlag, envFlag, intFlag, textFlag } from "../../flags.js";
import { parseFlags } from "../../usage.js";
import { aboutPod, findPod, podIdArg } from "./find.js";

const flags = z
  .object({
    name: textFlag().optional(),
    image: textFlag().optional(),
    dockerArgs: z.string().optional(),
    containerDisk: intFlag(1).optional(),
    ports: commaListFlag().optional(),
    env: envFlag().optional(),
    registryAuthId: z.string().trim().optional(),
    volume: intFlag(10).optional(),
    volumePath: textFlag().optional(),
    templateId: textFlag().optional(),
    lock: z.boolean().default(false),
    unlock: z.boolean().default(false),
    globalNetworking: z.boolean().optional(),
  })
  .refine((f) => !(f.lock && f.unlock), { message: "give --lock or --unlock", path: ["lock"] })
  .refine(
    ({ lock, unlock, ...values }) =>
      lock || unlock || Object.values(values).some((v) => v !== undefined),
    { message: "give at least one change (see the options below)" },
  );

type Flags = z.output<typeof flags>;

/**
 * v2 takes a mount whole (size and path, or volume and path) and never adds one to a pod created
 * without: the pod's own mount fills in what the flags leave out.
 */
function mounts(pod: Pod, f: Flags): Pick<UpdatePodRequest, "mounts"> {
  if (f.volume === undefined && f.volumePath === undefined) return {};
  const { persistent, network } = pod.mounts ?? {};
  if (persistent) {
    const size = f.volume ?? persistent.size;
    return { mounts: { persistent: { size, path: f.volumePath ?? persistent.path } } };
  }
  const volume = network?.[0];
  if (volume && f.volume !== undefined) {
    throw new CliError(
      `Pod ${pod.id} mounts network volume ${volume.volumeId}, whose size is the volume's`,
      `grow it with \`runpod-ts network-volume update ${volume.volumeId} --size GB\``,
    );
  }
  if (volume) {
    return {
      mounts: { network: [{ volumeId: volume.volumeId, path: f.volumePath ?? volume.path }] },
    };
  }
  throw new CliError(
    `Pod ${pod.id} was created without a volume, and REST v2 cannot add one`,
    "create a pod with --volume GB or --network-volume-id",
  );
}

/**
 * `runpod-ts pod update POD_ID …`: a v2 PATCH of what is given. `--env` adds to the pod's
 * variables rather than replacing them, so the ones Runpod injected (PUBLIC_KEY for SSH,
 * JUPYTER_PASSWORD) survive.
 */
export async function updatePod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const f = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const pod = await ctx.out.spin(`Updating pod ${podId}`, async () => {
    const needsPod = f.env !== undefined || f.volume !== undefined || f.volumePath !== undefined;
    const current = needsPod ? await findPod(api, podId) : undefined;
    const patch: UpdatePodRequest = {
      ...(f.name === undefined ? {} : { name: f.name }),
      ...(f.image === undefined ? {} : { image: f.image }),
      ...(f.dockerArgs === undefined ? {} : { args: f.dockerArgs }),
      ...(f.containerDisk === undefined ? {} : { disk: f.containerDisk }),
      ...(f.ports === undefined ? {} : { ports: f.ports }),
      ...(f.env === undefined || current === undefined
        ? {}
        : { env: { ...current.env, ...f.env } }),
      ...(f.registryAuthId === undefined ? {} : { registry: f.registryAuthId || null }),
      ...(current === undefined ? {} : mounts(current, f)),
      ...(f.templateId === undefined ? {} : { templateId: f.templateId }),
      ...(f.lock ? { locked: true } : f.unlock ? { locked: false } : {}),
      ...(f.globalNetworking === undefined ? {} : { globalNetworking: f.globalNetworking }),
    };
    const updated = await aboutPod(podId, api.pods.update(podId, patch));
    return { updated, changed: Object.keys(patch) };
  });
  ctx.out.data(pod.updated, (p) => {
    const later = pod.changed.includes("globalNetworking")
      ? "; global networking changes with the next start or restart"
      : "";
    return `Updated pod ${p.id} (${pod.changed.join(", ")})${later}`;
  });
}
