import * as z from "zod";
import type { Cluster, DataCenter, NetworkVolume, Registry } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { intFlag, textFlag } from "../../flags.js";
import { formatTable } from "../../output/table.js";
import { parseFlags } from "../../usage.js";
import { workersText } from "../endpoint/format.js";
import { arg, showList, showOne, text } from "./show.js";

// --- endpoint workers / releases --------------------------------------------------------------

/** `runpod-ts endpoint workers ENDPOINT_ID` */
export async function endpointWorkers(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  const res = await ctx.out.spin(`Fetching workers of ${id}`, () => api.endpoints.workers(id));
  ctx.out.data(res, workersText);
}

/** `runpod-ts endpoint releases ENDPOINT_ID` */
export async function endpointReleases(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  const res = await ctx.out.spin(`Fetching releases of ${id}`, () => api.endpoints.releases(id));
  ctx.out.data(res, (r) =>
    [
      `rollout: ${r.rollout.percentOnLatest}% of ${r.rollout.workersTotal} workers on the latest release${r.rollout.inProgress ? " (in progress)" : ""}`,
      ...r.releases.map(
        (rel) => `${rel.id}  v${rel.version ?? "?"}  ${rel.source}  ${rel.createdAt}`,
      ),
    ].join("\n"),
  );
}

// --- network volumes ------------------------------------------------------------------------

const volumeColumns = [
  { header: "ID", value: (v: NetworkVolume) => v.id },
  { header: "NAME", value: (v: NetworkVolume) => v.name },
  { header: "SIZE", value: (v: NetworkVolume) => `${v.size} GB`, align: "right" as const },
  { header: "DATA CENTER", value: (v: NetworkVolume) => v.dataCenter },
  { header: "TYPE", value: (v: NetworkVolume) => text(v.type) ?? "-" },
];

const volumeRows = (v: NetworkVolume) =>
  [
    ["ID", v.id],
    ["Name", v.name],
    ["Size", `${v.size} GB`],
    ["Data center", v.dataCenter],
    ["Type", text(v.type)],
  ] as const;

export async function listVolumes(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showList(
    ctx,
    "Fetching network volumes",
    () => api.networkVolumes.list(),
    volumeColumns,
    "No network volumes. Create one with `runpod-ts network-volume create --name N --size GB --data-center ID`.",
  );
}

export async function getVolume(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showOne(ctx, "Fetching network volume", () => api.networkVolumes.get(arg(ctx)), volumeRows);
}

const createVolumeFlags = () =>
  z.object({
    name: textFlag(),
    size: intFlag(10),
    dataCenter: textFlag(),
    type: z.enum(["STANDARD", "HIGH_PERFORMANCE"]).optional(),
  });

export async function createVolume(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, createVolumeFlags(), ctx.options);
  const api = await connectApi(ctx);
  const body = {
    name: f.name,
    size: f.size,
    dataCenter: f.dataCenter,
    ...(f.type ? { type: f.type } : {}),
  };
  const v = await ctx.out.spin("Creating network volume", () => api.networkVolumes.create(body));
  ctx.out.data(v, (x) => `Created network volume ${x.id} (${x.size} GB in ${x.dataCenter})`);
}

const updateVolumeFlags = () =>
  z.object({ name: textFlag().optional(), size: intFlag(10).optional() });

export async function updateVolume(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, updateVolumeFlags(), ctx.options);
  const api = await connectApi(ctx);
  const patch = { ...(f.name ? { name: f.name } : {}), ...(f.size ? { size: f.size } : {}) };
  const v = await ctx.out.spin("Updating network volume", () =>
    api.networkVolumes.update(arg(ctx), patch),
  );
  ctx.out.data(v, (x) => `Updated network volume ${x.id}: ${x.name}, ${x.size} GB`);
}

export async function deleteVolume(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  await ctx.out.spin(`Deleting network volume ${id}`, () => api.networkVolumes.delete(id));
  ctx.out.data({ id, deleted: true }, () => `Deleted network volume ${id}`);
}

// --- registries -------------------------------------------------------------------------------

const registryColumns = [
  { header: "ID", value: (r: Registry) => r.id },
  { header: "NAME", value: (r: Registry) => r.name },
];

export async function listRegistries(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showList(
    ctx,
    "Fetching registry credentials",
    () => api.registries.list(),
    registryColumns,
    "No registry credentials. Add some with `runpod-ts registry create --name N --username U` (password on stdin).",
  );
}

export async function getRegistry(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showOne(
    ctx,
    "Fetching registry credential",
    () => api.registries.get(arg(ctx)),
    (r) => [
      ["ID", r.id],
      ["Name", r.name],
    ],
  );
}

const createRegistryFlags = () => z.object({ name: textFlag(), username: textFlag() });

/** The password comes from stdin (first line), never from a flag that would land in shell history. */
export async function createRegistry(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, createRegistryFlags(), ctx.options);
  const password = (await readStdin(ctx)).split(/\r?\n/)[0]?.trim() ?? "";
  if (password === "") {
    const { CliError } = await import("../../errors.js");
    throw new CliError(
      "No registry password on stdin",
      'pipe it in: `printf %s "$PASS" | runpod-ts registry create …`',
    );
  }
  const api = await connectApi(ctx);
  const r = await ctx.out.spin("Saving registry credentials", () =>
    api.registries.create({ name: f.name, username: f.username, password }),
  );
  ctx.out.data(r, (x) => `Saved registry credentials ${x.id} (${x.name})`);
}

export async function deleteRegistry(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  await ctx.out.spin(`Deleting registry credentials ${id}`, () => api.registries.delete(id));
  ctx.out.data({ id, deleted: true }, () => `Deleted registry credentials ${id}`);
}

async function readStdin(ctx: CommandContext): Promise<string> {
  let data = "";
  for await (const chunk of ctx.io.stdin) data += String(chunk);
  return data;
}

// --- data centers -----------------------------------------------------------------------------

const dcColumns = [
  { header: "ID", value: (d: DataCenter) => d.id },
  { header: "NAME", value: (d: DataCenter) => d.name },
  { header: "REGION", value: (d: DataCenter) => String(d.region) },
  { header: "GLOBAL NETWORK", value: (d: DataCenter) => (d.globalNetwork ? "yes" : "no") },
  { header: "VOLUMES", value: (d: DataCenter) => text(d.networkVolumeTypes) ?? "-" },
];

export async function listDataCenters(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showList(
    ctx,
    "Fetching data centers",
    () => api.catalog.datacenters(),
    dcColumns,
    "No data centers.",
  );
}

// --- clusters ---------------------------------------------------------------------------------

const clusterColumns = [
  { header: "ID", value: (c: Cluster) => c.id },
  { header: "NAME", value: (c: Cluster) => c.name },
  { header: "TYPE", value: (c: Cluster) => String(c.type) },
  {
    header: "PODS",
    value: (c: Cluster) =>
      text((c as { compute?: { podCount?: number } }).compute?.podCount) ?? "-",
    align: "right" as const,
  },
];

export async function listClusters(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showList(
    ctx,
    "Fetching clusters",
    () => api.clusters.list(),
    clusterColumns,
    "No clusters.",
  );
}

export async function getCluster(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  await showOne(
    ctx,
    "Fetching cluster",
    () => api.clusters.get(arg(ctx)),
    (c) => Object.entries(c).map(([k, v]) => [k, text(v)] as const),
  );
}

const createClusterFlags = () =>
  z.object({
    name: textFlag(),
    type: z.enum(["APPLICATION", "TRAINING", "SLURM", "RAY"]),
    gpu: textFlag(),
    gpusPerPod: intFlag(1),
    pods: intFlag(2),
    image: textFlag().optional(),
  });

export async function createCluster(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, createClusterFlags(), ctx.options);
  const api = await connectApi(ctx);
  const c = await ctx.out.spin("Creating cluster", () =>
    api.clusters.create({
      name: f.name,
      type: f.type,
      compute: { gpuTypeId: f.gpu, gpuCountPerPod: f.gpusPerPod, podCount: f.pods },
      ...(f.image ? { image: f.image } : {}),
    }),
  );
  ctx.out.data(c, (x) => `Created cluster ${x.id} (${x.name})`);
}

export async function deleteCluster(ctx: CommandContext): Promise<void> {
  const id = arg(ctx);
  const api = await connectApi(ctx);
  await ctx.out.spin(`Deleting cluster ${id}`, () => api.clusters.delete(id));
  ctx.out.data({ id, deleted: true }, () => `Deleted cluster ${id} and its pods`);
}

export async function clusterPods(ctx: CommandContext): Promise<void> {
  const api = await connectApi(ctx);
  const { podColumns } = await import("../pod/format.js");
  await showList(
    ctx,
    "Fetching cluster pods",
    () => api.clusters.pods(arg(ctx)),
    podColumns(ctx.out.style),
    "No pods.",
  );
}

// --- billing ----------------------------------------------------------------------------------

const billingFlags = () =>
  z.object({
    start: z.iso.datetime({ offset: true, error: "must be an RFC 3339 time" }).optional(),
    end: z.iso.datetime({ offset: true, error: "must be an RFC 3339 time" }).optional(),
    bucket: z.enum(["hour", "day", "week", "month", "year"]).optional(),
    last: intFlag(1).optional(),
    id: textFlag().optional(),
  });

const VIEWS = {
  summary: { call: "summary", idName: undefined },
  pods: { call: "pods", idName: "podId" },
  serverless: { call: "serverless", idName: "serverlessId" },
  endpoints: { call: "endpoints", idName: undefined },
  "network-volumes": { call: "networkVolumes", idName: "networkVolumeId" },
  clusters: { call: "clusters", idName: "clusterId" },
} as const;

/** `runpod-ts billing VIEW [--start T] [--end T] [--bucket day] [--last N] [--id ID]` */
export async function billing(ctx: CommandContext, view: keyof typeof VIEWS): Promise<void> {
  const f = parseFlags(ctx, billingFlags(), ctx.options);
  const { call, idName } = VIEWS[view];
  const query: Record<string, unknown> = {
    ...(f.start ? { startTime: f.start } : {}),
    ...(f.end ? { endTime: f.end } : {}),
    ...(f.bucket ? { bucketSize: f.bucket } : {}),
    ...(f.last ? { lastN: f.last } : {}),
    ...(f.id && idName ? { [idName]: f.id } : {}),
  };
  const api = await connectApi(ctx);
  const fetch = api.billing[call].bind(api.billing) as (
    q: object,
  ) => Promise<{ records: Array<Record<string, unknown>>; metadata: unknown }>;
  const res = await ctx.out.spin("Fetching billing", () => fetch(query));
  // Each record is a time bucket, the resource it bills (when unfiltered) and amounts in USD.
  const resource = (rec: Record<string, unknown>) =>
    idName && typeof rec[idName] === "string" ? (rec[idName] as string) : "-";
  const usd = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : "-");
  ctx.out.data(res, (r) =>
    r.records.length === 0
      ? "No billing records in this window."
      : formatTable(
          [
            { header: "FROM", value: (rec) => String(rec.startTime ?? "") },
            { header: "TO", value: (rec) => String(rec.endTime ?? "") },
            { header: "RESOURCE", value: resource },
            { header: "TOTAL $", value: (rec) => usd(rec.totalAmount), align: "right" },
          ],
          r.records,
          ctx.out.style.bold,
        ),
  );
}
