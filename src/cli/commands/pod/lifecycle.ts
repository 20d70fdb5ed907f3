import * as z from "zod";
import type { Pod } from "../../../api/types.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { parseFlags } from "../../usage.js";
import { aboutPod, podIdArg } from "./find.js";

const ACTIONS = {
  stop: { doing: "Stopping", done: "Stopped" },
  start: { doing: "Starting", done: "Started" },
  restart: { doing: "Restarting", done: "Restarted" },
} as const;

// `pod resume --gpu-count N` (GraphQL podResume) has no v2 counterpart: refuse it rather than
// start the pod with another count than the user asked for.
const startFlags = () =>
  z.object({
    gpuCount: z
      .undefined({
        error:
          "REST v2 starts a pod with the GPU count it was created with; drop --gpu-count (for another count, create a new pod)",
      })
      .optional(),
  });

/** `runpod-ts pod stop|start|resume|restart POD_ID`: the v2 pod actions. */
export async function podAction(ctx: CommandContext, action: keyof typeof ACTIONS): Promise<void> {
  const podId = podIdArg(ctx.args);
  if (action === "start") parseFlags(ctx, startFlags(), ctx.options);
  const api = await connectApi(ctx);
  const { doing, done } = ACTIONS[action];
  const pod: Pod = await ctx.out.spin(`${doing} pod ${podId}`, () =>
    aboutPod(podId, api.pods[action](podId)),
  );
  const next = action === "stop" ? `; start it again with \`runpod-ts pod start ${pod.id}\`` : "";
  ctx.out.data(pod, (p) => `${done} pod ${p.id} (${p.status})${next}`);
}

/** `runpod-ts pod terminate POD_ID` */
export async function terminatePod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const api = await connectApi(ctx);
  await ctx.out.spin(`Terminating pod ${podId}`, () => aboutPod(podId, api.pods.terminate(podId)));
  ctx.out.data({ id: podId, terminated: true }, () => `Terminated pod ${podId}`);
}
