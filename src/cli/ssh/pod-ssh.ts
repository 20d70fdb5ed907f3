/**
 * How to reach a pod over SSH, from the pod object the API returns (spec §4.2). Pure: the
 * `pod ssh` command polls the API and calls these until the pod is ready.
 */

export interface PodPort {
  ip?: string | null;
  isIpPublic?: boolean | null;
  privatePort?: number | null;
  publicPort?: number | null;
  type?: string | null;
}

/** The fields of `Pod` this module reads; the API's pod type satisfies it. */
export interface PodForSsh {
  id: string;
  desiredStatus?: string | null;
  runtime?: { ports?: ReadonlyArray<PodPort | null> | null } | null;
  machine?: { podHostId?: string | null } | null;
}

export interface SshTarget {
  user: string;
  host: string;
  /** `undefined` means the default port, 22. */
  port: number | undefined;
  /** `direct`: the pod's public IP and mapped port; `proxy`: Runpod's SSH gateway (no scp/sftp). */
  via: "direct" | "proxy";
}

export type SshReadiness =
  | { state: "ready"; target: SshTarget }
  | { state: "waiting"; reason: string }
  | { state: "unavailable"; reason: string };

/** Runpod's SSH gateway; it routes `<podHostId>@` to the pod. */
export const SSH_PROXY_HOST = "ssh.runpod.io";

/**
 * Ready when the pod runs and port 22 is mapped to a public IP (preferred: full SSH, scp and
 * sftp), or, failing that, once the machine gives a podHostId for the gateway. A pod that is not
 * meant to run (EXITED, TERMINATED) will never become ready, so callers stop waiting.
 */
export function sshReadiness(pod: PodForSsh): SshReadiness {
  const status = pod.desiredStatus ?? "UNKNOWN";
  if (status !== "RUNNING") {
    const now = `pod ${pod.id} is ${status.toLowerCase()}`;
    if (status === "CREATED" || status === "RESTARTING" || status === "UNKNOWN") {
      return { state: "waiting", reason: now };
    }
    if (status === "EXITED" || status === "PAUSED") {
      return {
        state: "unavailable",
        reason: `${now}; start it with \`runpod-ts pod resume ${pod.id}\``,
      };
    }
    return { state: "unavailable", reason: now };
  }
  const ssh = (pod.runtime?.ports ?? []).find(
    (p) =>
      p?.privatePort === 22 && p.type === "tcp" && p.isIpPublic === true && p.ip && p.publicPort,
  );
  if (ssh?.ip && ssh.publicPort) {
    return {
      state: "ready",
      target: { user: "root", host: ssh.ip, port: ssh.publicPort, via: "direct" },
    };
  }
  if (pod.runtime == null) return { state: "waiting", reason: `pod ${pod.id} is starting` };
  const hostId = pod.machine?.podHostId;
  if (hostId) {
    return {
      state: "ready",
      target: { user: hostId, host: SSH_PROXY_HOST, port: undefined, via: "proxy" },
    };
  }
  return { state: "waiting", reason: `waiting for pod ${pod.id} to expose port 22` };
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
