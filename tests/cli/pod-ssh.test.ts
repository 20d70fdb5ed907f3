import { describe, expect, it } from "vitest";
import {
  type PodForSsh,
  type PodPort,
  shellCommand,
  sshArgs,
  sshReadiness,
} from "../../src/cli/ssh/pod-ssh.js";

const running = (ports: Array<PodPort | null>): PodForSsh => ({
  id: "pod1",
  desiredStatus: "RUNNING",
  runtime: { ports },
  machine: { podHostId: "pod1-64410f1a" },
});

describe("sshReadiness", () => {
  it("uses the public IP and mapped port of private port 22/tcp", () => {
    const pod = running([
      { ip: "100.65.0.2", isIpPublic: false, privatePort: 22, publicPort: 60001, type: "tcp" },
      { ip: "194.68.245.12", isIpPublic: true, privatePort: 8888, publicPort: 8888, type: "http" },
      null,
      { ip: "194.68.245.12", isIpPublic: true, privatePort: 22, publicPort: 22093, type: "tcp" },
    ]);
    expect(sshReadiness(pod)).toEqual({
      state: "ready",
      target: { user: "root", host: "194.68.245.12", port: 22093, via: "direct" },
    });
  });

  it("falls back to Runpod's SSH gateway when port 22 has no public IP", () => {
    const pod = running([
      { ip: "100.65.0.2", isIpPublic: false, privatePort: 22, publicPort: 60001, type: "tcp" },
    ]);
    expect(sshReadiness(pod)).toEqual({
      state: "ready",
      target: { user: "pod1-64410f1a", host: "ssh.runpod.io", port: undefined, via: "proxy" },
    });
  });

  it("waits while the pod starts, and gives up on pods that will not run", () => {
    expect(sshReadiness({ id: "p", desiredStatus: "CREATED" })).toEqual({
      state: "waiting",
      reason: "pod p is created",
    });
    expect(sshReadiness({ id: "p", desiredStatus: "RUNNING", runtime: null })).toEqual({
      state: "waiting",
      reason: "pod p is starting",
    });
    expect(sshReadiness({ id: "p", desiredStatus: "RUNNING", runtime: { ports: [] } }).state).toBe(
      "waiting",
    );
    expect(sshReadiness({ id: "p", desiredStatus: "EXITED" })).toEqual({
      state: "unavailable",
      reason: "pod p is exited; start it with `runpod-ts pod resume p`",
    });
    expect(sshReadiness({ id: "p", desiredStatus: "TERMINATED" })).toEqual({
      state: "unavailable",
      reason: "pod p is terminated",
    });
  });
});

describe("ssh command", () => {
  it("builds ssh's argv with the key, the port and the user", () => {
    const target = { user: "root", host: "194.68.245.12", port: 22093, via: "direct" as const };
    expect(sshArgs(target, "/home/me/.runpod/ssh/runpod-ts")).toEqual([
      "-i",
      "/home/me/.runpod/ssh/runpod-ts",
      "-o",
      "IdentitiesOnly=yes",
      "-p",
      "22093",
      "root@194.68.245.12",
    ]);
    expect(
      sshArgs({ user: "h-1", host: "ssh.runpod.io", port: undefined, via: "proxy" }, undefined),
    ).toEqual(["h-1@ssh.runpod.io"]);
  });

  it("prints a command a shell runs as given, quoting only when needed", () => {
    expect(shellCommand(["ssh", "-i", "/home/a b/it's", "-p", "22", "root@1.2.3.4"])).toBe(
      "ssh -i '/home/a b/it'\\''s' -p 22 root@1.2.3.4",
    );
  });
});
