import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { requireCommand } from "../helpers/required-tools.js";
import { useApiSession } from "./api-session.js";

const s = useApiSession();
const keyDir = () => join(s.home, ".runpod", "ssh");
const mode = (path: string) => statSync(path).mode & 0o777;
// ssh-keygen is the reference for fingerprints; .ci/run installs openssh-client when missing.
beforeAll(() => requireCommand("ssh-keygen", "on Debian: apt-get install openssh-client"));
const keygenFingerprint = (path: string) =>
  execFileSync("ssh-keygen", ["-lf", path], { encoding: "utf8" }).split(" ")[1];

const GIVEN =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILzqx942dhdev3rvd2sLSEdXJUyP/ZBQykpGgj9A9rk8 alice@laptop";

describe("runpod-ts ssh", () => {
  it("list-keys on an account without keys", async () => {
    const human = await s.run(["ssh", "list-keys"]);
    expect(human.stdout).toBe(
      "No SSH keys on the account. Add one with `runpod-ts ssh add-key`.\n",
    );
    expect(JSON.parse((await s.run(["ssh", "list-keys", "--json"])).stdout)).toEqual([]);
  });

  it("add-key generates an ed25519 pair (0600) under ~/.runpod/ssh and adds it once", async () => {
    const r = await s.run(["ssh", "add-key", "--json"]);
    expect(r.code).toBe(0);
    const pub = join(keyDir(), "runpod-ts.pub");
    const result = JSON.parse(r.stdout);
    expect(result).toEqual({
      type: "ssh-ed25519",
      fingerprint: keygenFingerprint(pub),
      comment: "runpod-ts",
      from: pub,
      generated: true,
    });
    expect(mode(join(keyDir(), "runpod-ts"))).toBe(0o600);
    expect(mode(pub)).toBe(0o600);
    expect(mode(keyDir())).toBe(0o700);
    expect(s.server.state.user.pubKey).toBe(readFileSync(pub, "utf8").trim());

    // The same name again reuses the pair on disk, and the account already has it.
    const before = s.server.state.user.pubKey;
    const again = await s.run(["ssh", "add-key"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: The account already has this key (${result.fingerprint}); not adding it twice; see the keys with \`runpod-ts ssh list-keys\`\n`,
    );
    expect(s.server.state.user.pubKey).toBe(before);
    expect(s.server.requests.at(-1)?.operationName).toBe("Myself");
  });

  it("add-key --key-file appends a given key (comment from --name) after a blank line", async () => {
    const file = join(s.home, "alice.pub");
    writeFileSync(file, `${GIVEN}\n`);
    const before = s.server.state.user.pubKey;
    const r = await s.run(["ssh", "add-key", "--key-file", file, "--name", "alice-work"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Read ${file}`);
    expect(r.stdout).toContain(`Added ssh-ed25519 ${keygenFingerprint(file)} (alice-work)`);
    expect(s.server.state.user.pubKey).toBe(
      `${before}\n\n${GIVEN.replace("alice@laptop", "alice-work")}`,
    );

    // Same key under another comment is still the same key.
    const dup = await s.runCounting(["ssh", "add-key", "--key-file", file]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already has this key");
    expect(dup.requests).toBe(1); // read the account, never wrote it
  });

  it("list-keys shows type, fingerprint and comment of each key", async () => {
    const human = await s.run(["ssh", "list-keys"]);
    const lines = human.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TYPE\s+FINGERPRINT\s+COMMENT$/);
    expect(lines[1]).toMatch(/^ssh-ed25519\s+SHA256:\S+\s+runpod-ts$/);
    expect(lines[2]).toBe(
      `ssh-ed25519  ${keygenFingerprint(join(s.home, "alice.pub"))}  alice-work`,
    );
    const data = JSON.parse((await s.run(["ssh", "list-keys", "--json"])).stdout);
    expect(data.map((k: { comment: string }) => k.comment)).toEqual(["runpod-ts", "alice-work"]);
  });

  it("refuses what is not a public key, or a bad name, without touching the account", async () => {
    const file = join(s.home, "private-key");
    writeFileSync(file, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n");
    const notKey = await s.runCounting(["ssh", "add-key", "--key-file", file]);
    expect(notKey.code).toBe(1);
    expect(notKey.requests).toBe(0);
    expect(notKey.stderr).toBe(
      `error: ${file} is not an OpenSSH public key (unknown key type "-----BEGIN"); give the .pub file, e.g. --key-file ~/.ssh/id_ed25519.pub\n`,
    );
    await s.usageError(["ssh", "add-key", "--name", "../evil"], "--name: use 1-64 letters");
  });
});

describe("runpod-ts pod ssh", () => {
  /** A pod in the server's state, shaped as Runpod reports a running one. */
  function addPod(id: string, fields: Record<string, unknown>): void {
    s.server.state.pods.set(id, {
      id,
      name: id,
      imageName: "runpod/base",
      desiredStatus: "RUNNING",
      costPerHr: 0.4,
      gpuCount: 1,
      vcpuCount: 8,
      memoryInGb: 32,
      machineId: "m-1",
      runtime: null,
      machine: { podHostId: `${id}-64410f1a`, gpuDisplayName: "A40" },
      ...fields,
    });
  }
  const port22 = (ip: string, publicPort: number, isIpPublic = true) => ({
    ports: [
      { ip: "100.65.0.2", isIpPublic: false, privatePort: 8888, publicPort: 60000, type: "http" },
      { ip, isIpPublic, privatePort: 22, publicPort, type: "tcp" },
    ],
  });

  it("--print gives the ssh command for public port 22, with the generated key", async () => {
    addPod("pod-direct", { runtime: port22("194.68.245.12", 22093) });
    const key = join(keyDir(), "runpod-ts");
    const r = await s.run(["pod", "ssh", "pod-direct", "--print"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ssh -i ${key} -o IdentitiesOnly=yes -p 22093 root@194.68.245.12\n`);
    const data = JSON.parse(
      (await s.run(["pod", "ssh", "pod-direct", "--print", "--json"])).stdout,
    );
    expect(data).toEqual({
      podId: "pod-direct",
      user: "root",
      host: "194.68.245.12",
      port: 22093,
      via: "direct",
      identityFile: key,
      command: r.stdout.trim(),
    });
  });

  it("--print falls back to Runpod's SSH gateway when port 22 is not public", async () => {
    addPod("pod-proxy", { runtime: port22("100.65.0.9", 60001, false) });
    const r = await s.run(["pod", "ssh", "pod-proxy", "--print"]);
    expect(r.stdout).toBe(
      `ssh -i ${join(keyDir(), "runpod-ts")} -o IdentitiesOnly=yes pod-proxy-64410f1a@ssh.runpod.io\n`,
    );
  });

  it("fails at once for a stopped pod, and at the --timeout for one still starting", async () => {
    addPod("pod-stopped", { desiredStatus: "EXITED" });
    const stopped = await s.run(["pod", "ssh", "pod-stopped", "--print"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toBe(
      "error: Cannot SSH into pod pod-stopped: pod pod-stopped is exited; start it with `runpod-ts pod resume pod-stopped`\n",
    );
    addPod("pod-starting", {});
    const starting = await s.run(["pod", "ssh", "pod-starting", "--print", "--timeout", "0"]);
    expect(starting.code).toBe(1);
    expect(starting.stderr).toBe(
      "error: Gave up waiting for pod pod-starting (pod pod-starting is starting); try again later, or wait longer with --timeout SECONDS\n",
    );
    await s.usageError(["pod", "ssh", "pod-starting", "--timeout", "soon"]);
  });

  it("runs the system ssh and exits with its code (here: a refused connection)", async () => {
    // Port 1 on loopback: nothing listens, so the real ssh fails fast with its own message.
    addPod("pod-refused", { runtime: port22("127.0.0.1", 1) });
    const r = await s.run(["pod", "ssh", "pod-refused"]);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("port 1: Connection refused");
    expect(r.stderr).not.toContain("error:");
  });
});
