import * as z from "zod";
import type { UpdateTemplateRequest } from "../../../api/types.js";
import {
  commaListFlag,
  cudaVersionsFlag,
  envFlag,
  intFlag,
  textFlag,
  volumeGbFlag,
} from "../../flags.js";

/**
 * The container flags `template create` and `template update` share, in the CLI's names, and how
 * they become REST v2 fields: `--start-cmd` → `args`, `--container-disk` → `disk`, `--volume` and
 * `--volume-path` → `mounts.persistent`, `--registry-auth-id` → `registry`, `--cuda` →
 * `allowedCudaVersions`.
 */
export const settingFlags = {
  image: textFlag().optional(),
  startCmd: z.string().optional(),
  containerDisk: intFlag(1).optional(),
  volume: volumeGbFlag().optional(),
  volumePath: textFlag().optional(),
  ports: commaListFlag().optional(),
  env: envFlag().optional(),
  registryAuthId: z.string().trim().optional(),
  cuda: cudaVersionsFlag().optional(),
  readme: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined,
      "REST v2 templates have no readme; write it in the Runpod console's template editor",
    ),
};

type Settings = z.output<z.ZodObject<typeof settingFlags>>;

/** The REST v2 fields the given flags set; flags not given are left out. */
export function settingFields(f: Settings, defaultVolumePath?: string): UpdateTemplateRequest {
  const path = f.volumePath ?? defaultVolumePath;
  return {
    ...(f.image === undefined ? {} : { image: f.image }),
    ...(f.startCmd === undefined ? {} : { args: f.startCmd }),
    ...(f.containerDisk === undefined ? {} : { disk: f.containerDisk }),
    ...(f.volume && path ? { mounts: { persistent: { size: f.volume, path } } } : {}),
    ...(f.ports === undefined ? {} : { ports: f.ports }),
    ...(f.env === undefined ? {} : { env: f.env }),
    ...(f.registryAuthId === undefined ? {} : { registry: f.registryAuthId || null }),
    ...(f.cuda === undefined ? {} : { allowedCudaVersions: f.cuda }),
  };
}
