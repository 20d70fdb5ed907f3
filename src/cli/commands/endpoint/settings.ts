import * as z from "zod";
import type { CreateEndpointRequest, UpdateEndpointRequest } from "../../../api/types.js";
import { commaListFlag, envFlag, intFlag, textFlag } from "../../flags.js";

const CUDA = z.string().regex(/^\d+\.\d+$/, 'use major.minor versions, e.g. "12.4"');

/** `cpu5c:4,cpu3g:8`: CPU flavors (see the catalog) with the vCPUs each worker gets. */
const cpuFlag = commaListFlag().pipe(
  z
    .array(
      z
        .string()
        .regex(/^[^:\s]+:\d+$/, 'use FLAVOR:VCPUS, e.g. "cpu5c:4"')
        .transform((entry) => {
          const [id = "", vcpus = ""] = entry.split(":");
          return { id, vcpuCount: Number(vcpus) };
        })
        .refine(
          (c) => c.vcpuCount >= 2 && (c.vcpuCount & (c.vcpuCount - 1)) === 0,
          "the vCPU count must be a power of two, at least 2",
        ),
    )
    .min(1, "name at least one CPU flavor"),
);

/**
 * GraphQL's `locations` took data center ids or country codes; REST v2 places by data center
 * only, so a country code is refused with where to find the ids.
 */
const locationsFlag = commaListFlag().pipe(
  z.array(
    z
      .string()
      .refine(
        (id) => !/^[A-Za-z]{2}$/.test(id),
        "country codes have no REST v2 equivalent: give data center ids, e.g. EU-RO-1 (see `runpod-ts datacenter list`)",
      ),
  ),
);

/**
 * `--scaler-value`: seconds of queue delay (REST v2's `queueDelay`, a number of at least 0.5) or
 * requests per worker (`requestCount`, a whole number of at least 1, checked with the scaler).
 */
const scalerValueFlag = z
  .string()
  .regex(/^(\d+(\.\d*)?|\.\d+)$/, "must be a number, e.g. 4 or 0.5")
  .transform(Number)
  .pipe(z.number().min(0.5, "must be at least 0.5"));

/**
 * The flags `endpoint create` and `endpoint update` share, in the CLI's names. Defaults that
 * depend on other flags (the scaler by `--type`, the idle timeout by the scaler) are applied by
 * `endpoint create`, not here.
 */
export const endpointFlags = {
  templateId: textFlag().optional(),
  image: textFlag().optional(),
  gpu: commaListFlag().pipe(z.array(z.string()).min(1, "name at least one GPU pool")).optional(),
  gpuCount: intFlag(1).optional(),
  cpu: cpuFlag.optional(),
  workersMin: intFlag(0).optional(),
  workersMax: intFlag(0).optional(),
  idleTimeout: intFlag(1).pipe(z.number().max(3600, "must be at most 3600")).optional(),
  scaler: z.enum(["QUEUE_DELAY", "REQUEST_COUNT"]).optional(),
  scalerValue: scalerValueFlag.optional(),
  flashboot: z.boolean().optional(),
  executionTimeout: intFlag(1).optional(),
  networkVolumeId: commaListFlag().optional(),
  locations: locationsFlag.optional(),
  cuda: commaListFlag().pipe(z.array(CUDA)).optional(),
  minCuda: CUDA.optional(),
  env: envFlag().optional(),
  ports: commaListFlag().optional(),
};

type Settings = z.output<z.ZodObject<typeof endpointFlags>>;

const RULES: ReadonlyArray<{
  ok: (f: Settings) => boolean;
  message: string;
  path: keyof Settings;
}> = [
  {
    ok: (f) => f.gpu === undefined || f.cpu === undefined,
    message: "give --gpu or --cpu, not both (an endpoint runs on one or the other)",
    path: "cpu",
  },
  {
    ok: (f) => f.cpu === undefined || (f.gpuCount ?? f.cuda ?? f.minCuda) === undefined,
    message: "--gpu-count, --cuda and --min-cuda are for GPU endpoints",
    path: "cpu",
  },
  {
    ok: (f) => !(f.cuda?.length && f.minCuda !== undefined),
    message: "give --cuda (exact versions) or --min-cuda (a floor), not both",
    path: "minCuda",
  },
  {
    ok: (f) =>
      f.workersMin === undefined || f.workersMax === undefined || f.workersMin <= f.workersMax,
    message: "must not exceed --workers-max",
    path: "workersMin",
  },
];

/**
 * The cross-flag rules both commands check (for `superRefine`), so the API never gets a request
 * it must refuse.
 */
export function checkEndpointRules(f: Settings, ctx: z.RefinementCtx): void {
  for (const rule of RULES) {
    if (!rule.ok(f)) ctx.addIssue({ code: "custom", message: rule.message, path: [rule.path] });
  }
}

/**
 * A REQUEST_COUNT scaler counts requests: its value is a whole number (for `superRefine`, with the
 * scaler the command settles on).
 */
export function checkScalerValue(
  scaler: "QUEUE_DELAY" | "REQUEST_COUNT" | undefined,
  value: number | undefined,
  ctx: z.RefinementCtx,
): void {
  if (scaler !== "REQUEST_COUNT" || value === undefined || Number.isInteger(value)) return;
  ctx.addIssue({
    code: "custom",
    message: "REQUEST_COUNT scales on whole requests per worker: give a whole number",
    path: ["scalerValue"],
  });
}

/** The most workers a new endpoint gets unless told: 3, or `--workers-min` when that is more. */
export const defaultWorkersMax = (min: number | undefined) => Math.max(3, min ?? 0);

/**
 * `--workers-min` without `--workers-max` on an endpoint that exists: its most workers is raised to
 * the new minimum when it was below it (REST v2 keeps `min ≤ max`), else left as it is.
 */
export function workersFor(
  f: Pick<Settings, "workersMin" | "workersMax">,
  currentMax: number,
): { max: number } | undefined {
  if (f.workersMin === undefined || f.workersMax !== undefined) return undefined;
  return f.workersMin > currentMax ? { max: f.workersMin } : undefined;
}

/** The scaling block for a scaler and its value (seconds of queue delay, or requests per worker). */
export function scaling(scaler: "QUEUE_DELAY" | "REQUEST_COUNT", value: number) {
  return scaler === "QUEUE_DELAY"
    ? { type: "QUEUE_DELAY" as const, queueDelay: value }
    : { type: "REQUEST_COUNT" as const, requestCount: value };
}

/**
 * The REST v2 fields the given flags set, flags not given left out: `--gpu` → `gpu.pools`,
 * `--workers-*` and `--idle-timeout` → `workers`, `--execution-timeout` (s) → `timeout` (ms),
 * `--network-volume-id` → `networkVolumes`, `--locations` → `dataCenterIds`, `--flashboot` →
 * `flashboot`. The scaler is the caller's: create and update default it differently.
 */
export function endpointFields(f: Settings): Omit<UpdateEndpointRequest, "scaling"> {
  const gpu = {
    ...(f.gpu === undefined ? {} : { pools: f.gpu }),
    ...(f.gpuCount === undefined ? {} : { count: f.gpuCount }),
    ...(f.cuda === undefined ? {} : { allowedCudaVersions: f.cuda }),
    ...(f.minCuda === undefined ? {} : { minCudaVersion: f.minCuda }),
  };
  const workers = {
    ...(f.workersMin === undefined ? {} : { min: f.workersMin }),
    ...(f.workersMax === undefined ? {} : { max: f.workersMax }),
    ...(f.idleTimeout === undefined ? {} : { idleTimeout: f.idleTimeout }),
  };
  return {
    ...(f.templateId === undefined ? {} : { templateId: f.templateId }),
    ...(f.image === undefined ? {} : { image: f.image }),
    ...(Object.keys(gpu).length === 0 ? {} : { gpu }),
    ...(f.cpu === undefined ? {} : { cpu: f.cpu }),
    ...(Object.keys(workers).length === 0 ? {} : { workers }),
    ...(f.flashboot === undefined ? {} : { flashboot: f.flashboot ? "FLASHBOOT" : "OFF" }),
    ...(f.executionTimeout === undefined ? {} : { timeout: f.executionTimeout * 1000 }),
    ...(f.networkVolumeId === undefined ? {} : { networkVolumes: f.networkVolumeId }),
    ...(f.locations === undefined ? {} : { dataCenterIds: f.locations }),
    ...(f.env === undefined ? {} : { env: f.env }),
    ...(f.ports === undefined ? {} : { ports: f.ports }),
  };
}

/**
 * A new endpoint's request: the flags given, over the defaults the CLI has always used (AMPERE_16,
 * 1 GPU, 0-3 workers, 5 s idle, a scaler value of 4) where v2 allows them: the scaler follows the
 * type, a queue endpoint scaling on requests has no idle timeout, and without `--workers-max` the
 * most workers is never below `--workers-min`.
 */
export function newEndpoint(
  f: Settings & { name: string; type: "QUEUE" | "LOAD_BALANCER" },
): CreateEndpointRequest {
  const scaler = f.scaler ?? (f.type === "LOAD_BALANCER" ? "REQUEST_COUNT" : "QUEUE_DELAY");
  const idle = f.type === "QUEUE" && scaler === "REQUEST_COUNT" ? undefined : 5;
  const fields = endpointFields({
    ...f,
    ...(f.cpu === undefined ? { gpu: f.gpu ?? ["AMPERE_16"], gpuCount: f.gpuCount ?? 1 } : {}),
    workersMin: f.workersMin ?? 0,
    workersMax: f.workersMax ?? defaultWorkersMax(f.workersMin),
    idleTimeout: f.idleTimeout ?? idle,
  });
  // endpointFields leaves out what was not given; `image` or `templateId` is the caller's to check.
  return {
    ...fields,
    name: f.name,
    type: f.type,
    scaling: scaling(scaler, f.scalerValue ?? 4),
  } as CreateEndpointRequest;
}
