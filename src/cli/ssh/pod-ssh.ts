/**
 * How to reach a pod over SSH, from the REST v2 pod record: its `ssh` block gives the direct
 * route (the public IP and the port mapped to the pod's `22/tcp`) and Runpod's proxy. Pure: the
 * `pod ssh` command polls the API and calls these until the pod is ready.
 */
import type { Pod } from "../../api/types.js";

/** The fields of a v2 `Pod` this module reads. */
export type PodForSsh = Pick<Pod, "id" | "status" | "ssh" | "runtime">;

export interface SshTarget {
  user: string;
  host: string;
  /** `undefined` means the default port, 22. */
  port: number | undefined;
  /** `direct`: the pod's public IP and mapped port; `proxy`: Runpod's SSH proxy (no scp/sftp). */
  via: "direct" | "proxy";
}

export type SshReadiness =
  | { state: "ready"; target: SshTarget }
  | { state: "waiting"; reason: string }
  | { state: "unavailable"; reason: string };

/**
 * Ready when the pod runs and `ssh.direct` is set (preferred: full SSH, scp and sftp), or,
 * failing that once the container is up, through `ssh.proxy`. A pod that will not run unless
 * told to (EXITED, ERROR, TERMINATED) never becomes ready, so callers stop waiting.
 */
export function sshReadiness(pod: PodForSsh): SshReadiness {
  const { id, status } = pod;
  if (status === "PROVISIONING" || status === "STARTING") {
    return { state: "waiting", reason: `pod ${id} is ${status.toLowerCase()}` };
  }
  if (status === "EXITED") {
    return {
      state: "unavailable",
      reason: `pod ${id} is exited; start it with \`runpod-ts pod start ${id}\``,
    };
  }
  if (status === "ERROR") {
    return {
      state: "unavailable",
      reason: `pod ${id} failed (ERROR); see why with \`runpod-ts pod logs ${id}\``,
    };
  }
  if (status !== "RUNNING") return { state: "unavailable", reason: `pod ${id} is terminated` };
  const { direct, proxy } = pod.ssh;
  if (direct) {
    return {
      state: "ready",
      target: { user: direct.username, host: direct.host, port: direct.port, via: "direct" },
    };
  }
  // The direct route appears with the container's port mappings: wait for them before settling
  // for the proxy.
  if (pod.runtime == null) return { state: "waiting", reason: `pod ${id} is starting` };
  if (proxy) {
    const port = proxy.port === 22 ? undefined : proxy.port;
    return {
      state: "ready",
      target: { user: proxy.username, host: proxy.host, port, via: "proxy" },
    };
  }
  return { state: "waiting", reason: `waiting for pod ${id} to accept SSH` };
}

/** The `ssh` argv (without the program name) for a target and an identity file. */
export function sshArgs(target: SshTarget, keyPath: string | undefined): string[] {
  const args: string[] = [];
  // IdentitiesOnly: an agent holding many keys would otherwise exhaust the server's auth tries.
  if (keyPath !== undefined) args.push("-i", keyPath, "-o", "IdentitiesOnly=yes");
  if (target.port !== undefined) args.push("-p", String(target.port));
  args.push(`${target.user}@${target.host}`);
  return args;
}

/** A command line a POSIX shell runs as given, for `--print`. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
