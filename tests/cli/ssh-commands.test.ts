import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateEd25519, sshKeyDir, writeKeyPair } from "../../src/cli/ssh/generate-key.js";
import { useApiSession } from "./api-session.js";

const s = useApiSession();
const keyDir = () => join(s.home, ".runpod", "ssh");
// The key pair `ssh add-key` would have generated (its tests are in ssh-keys.test.ts).
beforeAll(async () => {
  await writeKeyPair(sshKeyDir(s.home), "runpod-ts", generateEd25519("runpod-ts"));
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
