import { randomBytes } from "node:crypto";
import * as z from "zod";
import type { RunpodApi } from "../../../api/client.js";
import type { UpdateEndpointInput } from "../../../api/graphql/resources/endpoints.js";
import { resolveSetting } from "../../../core/settings.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { commaListFlag, envFlag, intFlag, textFlag } from "../../flags.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";

const flags = z
  .object({
    image: textFlag,
    name: textFlag.optional(),
    gpu: commaListFlag.pipe(z.array(z.string()).min(1, "name at least one GPU pool")).optional(),
    gpuCount: intFlag(1).optional(),
    workersMin: intFlag(0).optional(),
    workersMax: intFlag(0).optional(),
    env: envFlag.optional(),
    containerDisk: intFlag(1),
  })
  .refine(
    (f) => f.workersMin === undefined || f.workersMax === undefined || f.workersMin <= f.workersMax,
    { message: "must not exceed --workers-max", path: ["workersMin"] },
  );

type Flags = z.output<typeof flags>;

export interface DeployResult {
  action: "created" | "updated";
  endpointId: string;
  name: string;
  templateId: string;
  templateName: string;
  urls: { run: string; runsync: string; health: string };
}

/**
 * `runpod-ts deploy --image IMAGE`: the Python CLI's `project deploy` without the image build.
 * Every deploy gets a fresh template (template names are unique and a template in use cannot be
 * changed in place); the endpoint is created, or switched to the new template.
 */
export async function deploy(ctx: CommandContext): Promise<void> {
  const f = parseFlags(ctx, flags, ctx.options);
  const name = f.name ?? nameFromImage(f.image);
  // Read before any request, so a malformed RUNPOD_ENDPOINT_BASE_URL fails early.
  const endpointBase = (resolveSetting("endpointBaseUrl") ?? "").replace(/\/+$/, "");
  const api = await connectApi(ctx);
  const result = await ctx.out.spin(`Deploying ${f.image} as ${name}`, (update) =>
    deployImage(api, name, f, update),
  );
  const base = `${endpointBase}/${result.endpointId}`;
  const full: DeployResult = {
    ...result,
    urls: { run: `${base}/run`, runsync: `${base}/runsync`, health: `${base}/health` },
  };
  ctx.out.data(full, (r) =>
    [
      `${r.action === "created" ? "Created" : "Updated"} endpoint ${r.name} (${r.endpointId}) with template ${r.templateName}`,
      "",
      formatDetails(
        [
          ["run", r.urls.run],
          ["runsync", r.urls.runsync],
          ["health", r.urls.health],
        ],
        ctx.out.style.bold,
      ),
    ].join("\n"),
  );
}

async function deployImage(
  api: RunpodApi,
  name: string,
  f: Flags,
  update: (label: string) => void,
): Promise<Omit<DeployResult, "urls">> {
  const existing = (await api.graphql.getEndpoints()).find((e) => e.name === name && e.id != null);
  update("Creating a serverless template");
  const templateName = `${name}-${stamp()}`;
  const template = await api.graphql.createTemplate({
    name: templateName,
    imageName: f.image,
    isServerless: true,
    containerDiskInGb: f.containerDisk,
    env: f.env,
  });
  const templateId = template.id ?? "";
  if (existing?.id == null) {
    update(`Creating endpoint ${name}`);
    const created = await api.graphql.createEndpoint({
      name,
      templateId,
      gpuIds: f.gpu?.join(","),
      gpuCount: f.gpuCount,
      workersMin: f.workersMin,
      workersMax: f.workersMax,
    });
    return { action: "created", endpointId: created.id ?? "", name, templateId, templateName };
  }
  const endpointId = existing.id;
  update(`Switching endpoint ${name} to the new template`);
  await api.graphql.updateEndpointTemplate(endpointId, templateId);
  const changes: UpdateEndpointInput = Object.fromEntries(
    Object.entries({
      gpuIds: f.gpu?.join(","),
      gpuCount: f.gpuCount,
      workersMin: f.workersMin,
      workersMax: f.workersMax,
    }).filter(([, v]) => v !== undefined),
  );
  if (Object.keys(changes).length > 0) {
    update(`Updating endpoint ${name}`);
    await api.graphql.updateEndpoint(endpointId, changes);
  }
  return { action: "updated", endpointId, name, templateId, templateName };
}

/** `registry/user/my-worker:1.2` → `my-worker`: a readable default endpoint name. */
export function nameFromImage(image: string): string {
  const last = image.split("/").at(-1) ?? image;
  const bare = last.split("@")[0]?.split(":")[0] ?? last;
  const clean = bare.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  return clean.length >= 3 ? clean : `worker-${clean}`.replace(/-$/, "");
}

/** UTC time and a random suffix: template names must be unique, even for deploys a second apart. */
function stamp(): string {
  const time = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return `${time}-${randomBytes(2).toString("hex")}`;
}
