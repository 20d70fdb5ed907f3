import type { RunpodApi } from "../../../api/client.js";
import type { Pod } from "../../../api/graphql/resources/pods.js";
import { CliError } from "../../errors.js";

/** The pod, or an error that says how to find the right id. */
export async function findPod(api: RunpodApi, podId: string): Promise<Pod> {
  const pod = await api.graphql.getPod(podId);
  if (pod === undefined) {
    throw new CliError(
      `No pod "${podId}" on this account`,
      "list your pods with `runpod-ts pod list`",
    );
  }
  return pod;
}

/** The `<pod-id>` argument (commander has already required it). */
export function podIdArg(args: readonly unknown[]): string {
  return String(args[0]);
}
