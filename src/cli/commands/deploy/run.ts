import * as z from "zod";
import type { RunpodApi } from "../../../api/client.js";
import { resolveSetting } from "../../../core/settings.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { intFlag, textFlag } from "../../flags.js";
import { formatDetails } from "../../output/details.js";
import { parseFlags } from "../../usage.js";
import {
  checkEndpointRules,
  endpointFields,
  endpointFlags,
  newEndpoint,
  workersFor,
} from "../endpoint/settings.js";

const flags = z
  .object({
    image: textFlag(),
    name: textFlag().optional(),
    gpu: endpointFlags.gpu,
    gpuCount: endpointFlags.gpuCount,
    workersMin: endpointFlags.workersMin,
    workersMax: endpointFlags.workersMax,
    env: endpointFlags.env,
    containerDisk: intFlag(1),
  })
  .superRefine(checkEndpointRules);

type Flags = z.output<typeof flags>;

export interface DeployResult {
  action: "created" | "updated";
  endpointId: string;
  name: string;
  image: string;
  urls: { run: string; runsync: string; health: string };
}

/**
 * `runpod-ts deploy --image IMAGE`: the Python CLI's `project deploy` without the image build.
 * REST v2 endpoints carry their image themselves, so no template is made: a new endpoint is
 * created with the image, an existing one of that name gets it by PATCH, which rolls out as a new
 * release.
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
      r.action === "created"
        ? `Created endpoint ${r.name} (${r.endpointId}) with ${r.image}`
        : `Updated endpoint ${r.name} (${r.endpointId}) to ${r.image}; workers move to it as they are replaced`,
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
  const existing = (await api.endpoints.list()).find((e) => e.name === name);
  if (existing === undefined) {
    update(`Creating endpoint ${name}`);
    const created = await api.endpoints.create({
      ...newEndpoint({ ...f, name, type: "QUEUE" }),
      disk: f.containerDisk,
    });
    return { action: "created", endpointId: created.id, name, image: f.image };
  }
  update(`Updating endpoint ${name}`);
  // The image, the disk and the settings given; the endpoint keeps its others.
  const fields = endpointFields(f);
  const lifted = workersFor(f, existing.workers.max);
  if (lifted !== undefined) fields.workers = { ...fields.workers, ...lifted };
  await api.endpoints.update(existing.id, { ...fields, disk: f.containerDisk });
  return { action: "updated", endpointId: existing.id, name, image: f.image };
}

/** `registry/user/my-worker:1.2` → `my-worker`: a readable default endpoint name. */
export function nameFromImage(image: string): string {
  const last = image.split("/").at(-1) ?? image;
  const bare = last.split("@")[0]?.split(":")[0] ?? last;
  const clean = bare.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  return clean.length >= 3 ? clean : `worker-${clean}`.replace(/-$/, "");
}
