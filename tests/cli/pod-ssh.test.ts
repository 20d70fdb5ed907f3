/**
 * `runpod-ts pod ssh`: the route comes from the v2 pod record (`ssh.direct`, else `ssh.proxy`).
 * Against Prism for the document's own pod, and a scripted server for pods in other states.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateEd25519, sshKeyDir, writeKeyPair } from "../../src/cli/ssh/generate-key.js";
import { shellCommand, sshArgs } from "../../src/cli/ssh/pod-ssh.js";
import { requireCommand } from "../helpers/required-tools.js";
import type { Reply } from "../helpers/scripted-server.js";
import { problem, v2Pod } from "./pod-fixture.js";
import { useRestSession } from "./rest-session.js";

const s = useRestSession();
const key = () => join(sshKeyDir(s.home), "runpod-ts");
// The key pair `ssh add-key` would have generated (its tests are in ssh-keys.test.ts).
beforeAll(async () => {
  await writeKeyPair(sshKeyDir(s.home), "runpod-ts", generateEd25519("runpod-ts"));
});

const proxy = (username: string) => ({
  host: "ssh.runpod.io",
  port: 22,
  username,
  command: `ssh ${username}@ssh.runpod.io`,
});
const direct = (host: string, port: number) => ({
  host,
  port,
  username: "root",
  command: `ssh root@${host} -p ${port}`,
});

describe("runpod-ts pod ssh", () => {
  it("--print gives the ssh command for the pod's public IP and mapped port, with the generated key", async () => {
    const r = await s.ok(["pod", "ssh", "7h9k2m4n6p", "--print"]);
    expect(r.stdout).toBe(`ssh -i ${key()} -o IdentitiesOnly=yes -p 34446 root@195.26.233.3\n`);
    expect(r.sent.map((q) => `${q.method} ${q.path}`)).toEqual(["GET /v2/pods/7h9k2m4n6p"]);
    // --json alone prints the route too: a program cannot take over the terminal.
    const data = JSON.parse((await s.ok(["pod", "ssh", "7h9k2m4n6p", "--json"])).stdout);
    expect(data).toEqual({
      podId: "7h9k2m4n6p",
      user: "root",
      host: "195.26.233.3",
      port: 34446,
      via: "direct",
      identityFile: key(),
      command: r.stdout.trim(),
    });
  });

  it("--print goes through Runpod's SSH proxy for a pod without a public IP", async () => {
    s.fake.handle(() => ({
      json: v2Pod("pod-proxy", { ssh: { proxy: proxy("pod-proxy-64411eb2"), direct: null } }),
    }));
    const r = await s.onFake(["pod", "ssh", "pod-proxy", "--print"]);
    expect(r.stdout).toBe(
      `ssh -i ${key()} -o IdentitiesOnly=yes pod-proxy-64411eb2@ssh.runpod.io\n`,
    );
  });

  it("waits while the pod provisions, then connects directly", async () => {
    s.fake.reply({
      json: v2Pod("pod-new", { status: "PROVISIONING", runtime: null, startedAt: null }),
    });
    s.fake.handle(() => ({
      json: v2Pod("pod-new", {
        ssh: { proxy: proxy("pod-new-1"), direct: direct("194.68.245.12", 22093) },
      }),
    }));
    const r = await s.onFake(["pod", "ssh", "pod-new", "--print"]);
    expect(r.code).toBe(0);
    expect(r.requests).toHaveLength(2);
    expect(r.stdout).toBe(`ssh -i ${key()} -o IdentitiesOnly=yes -p 22093 root@194.68.245.12\n`);
  });

  it("fails at once for a stopped, failed or unknown pod, and at the --timeout for one still starting", async () => {
    const fails = async (reply: Reply, stderr: string, ...extra: string[]) => {
      s.fake.handle(() => reply);
      const r = await s.onFake(["pod", "ssh", "p1", "--print", ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(stderr);
    };
    await fails(
      { json: v2Pod("p1", { status: "EXITED", runtime: null }) },
      "error: Cannot SSH into pod p1: pod p1 is exited; start it with `runpod-ts pod start p1`\n",
    );
    await fails(
      { json: v2Pod("p1", { status: "ERROR", runtime: null }) },
      "error: Cannot SSH into pod p1: pod p1 failed (ERROR); see why with `runpod-ts pod logs p1`\n",
    );
    await fails(
      problem(404, "Not Found", "pod not found"),
      'error: No pod "p1" on this account; list your pods with `runpod-ts pod list`\n',
    );
    await fails(
      { json: v2Pod("p1", { status: "RUNNING", runtime: null }) },
      "error: Gave up waiting for pod p1 (pod p1 is starting); try again later, or wait longer with --timeout SECONDS\n",
      "--timeout",
      "0",
    );
    await s.usageError(
      ["pod", "ssh", "p1", "--timeout", "soon"],
      "--timeout: must be a whole number",
    );
  });

  it("runs the system ssh and exits with its code (here: a refused connection)", async () => {
    requireCommand("ssh", "on Debian: apt-get install openssh-client");
    // Port 1 on loopback: nothing listens, so the real ssh fails fast with its own message.
    s.fake.handle(() => ({
      json: v2Pod("pod-refused", { ssh: { proxy: null, direct: direct("127.0.0.1", 1) } }),
    }));
    const r = await s.onFake(["pod", "ssh", "pod-refused"]);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("port 1: Connection refused");
    expect(r.stderr).not.toContain("error:");
  });
});

describe("ssh command line", () => {
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
