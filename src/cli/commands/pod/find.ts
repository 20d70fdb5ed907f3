import type { RunpodApi } from "../../../api/client.js";
import type { Pod } from "../../../api/types.js";
import { orMissing } from "../../not-found.js";

/** A call about one pod; its 404 becomes an error that says how to find the right id. */
export function aboutPod<T>(podId: string, call: Promise<T>): Promise<T> {
  return orMissing(
    call,
    `No pod "${podId}" on this account`,
    "list your pods with `runpod-ts pod list`",
  );
}

/** The pod, or that error. */
export function findPod(api: RunpodApi, podId: string): Promise<Pod> {
  return aboutPod(podId, api.pods.get(podId));
}

/** The `<pod-id>` argument (commander has already required it). */
export function podIdArg(args: readonly unknown[]): string {
  return String(args[0]);
}
