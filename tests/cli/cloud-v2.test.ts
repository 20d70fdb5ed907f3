/**
 * The CLI's REST v2 commands against Stoplight Prism (every request must validate: Prism answers
 * 422 otherwise and logs the violation) and, for following logs, a local fake that drops the
 * stream once.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { useRestSession } from "./rest-session.js";

const s = useRestSession();
const ok = s.ok;

describe("pods on REST v2", () => {
  // start, restart and the other pod commands: pod.test.ts
  it("logs, as text or as JSON lines", async () => {
    const logs = await ok(["pod", "logs", "7h9k2m4n6p", "--tail", "5"]);
    expect(logs.stdout).toBe("Model loaded.\n");
    const json = await ok(["pod", "logs", "7h9k2m4n6p", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ line: "Model loaded.", source: "container" });
  });

  it("logs -f resumes a dropped stream with Last-Event-ID", async () => {
    const seen: Array<string | undefined> = [];
    const server: Server = createServer((req, res) => {
      seen.push(req.headers["last-event-id"] as string | undefined);
      const n = seen.length;
      if (n === 4) {
        // The pod is gone: following ends with the server's answer.
        res.writeHead(404, { "content-type": "application/problem+json" });
        res.end('{"title":"Not Found","status":404,"detail":"pod not found"}');
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`id: ${n}\ndata: {"ts":"t","source":"container","line":"line ${n}"}\n\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await s.run(["pod", "logs", "p1", "-f"], {
        baseUrl: `http://127.0.0.1:${port}`,
      });
      // Each connection ended after one line; each reconnect resumed after the last one seen.
      expect(result.stdout).toBe("line 1\nline 2\nline 3\n");
      expect(seen).toEqual([undefined, "1", "2", "3"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("pod not found");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("refuses a bad flag before sending anything", async () => {
    const result = await s.run(["pod", "logs", "p1", "--tail", "9999"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--tail: must be at most 5000");
  });
});

describe("endpoints on REST v2", () => {
  it("workers, releases and worker logs", async () => {
    expect((await ok(["endpoint", "workers", "4m7x2k9q"])).stdout).toMatch(/^\d+ workers: /);
    const workers = JSON.parse((await ok(["endpoint", "workers", "4m7x2k9q", "--json"])).stdout);
    expect(workers.summary.total).toEqual(expect.any(Number));
    expect((await ok(["endpoint", "releases", "4m7x2k9q"])).stdout).toMatch(/^rollout: /);
    expect((await ok(["endpoint", "logs", "4m7x2k9q", "w1"])).stdout.length).toBeGreaterThan(0);
  });
});

describe("network volumes, registries, data centers, clusters, billing", () => {
  it("network-volume list, get, create, update, delete", async () => {
    const list = await ok(["network-volume", "list"]);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+SIZE\s+DATA CENTER\s+TYPE/);
    const [volume] = JSON.parse((await ok(["network-volume", "list", "--json"])).stdout);
    expect((await ok(["network-volume", "get", volume.id])).stdout).toContain(volume.id);
    const created = await ok([
      "network-volume",
      "create",
      "--name",
      "data",
      "--size",
      "50",
      "--data-center",
      "EU-RO-1",
    ]);
    expect(created.stdout).toMatch(/^Created network volume/);
    await ok(["network-volume", "update", volume.id, "--size", "100"]);
    await ok(["network-volume", "delete", volume.id]);
    const bad = await s.run([
      "network-volume",
      "create",
      "--name",
      "d",
      "--size",
      "5",
      "--data-center",
      "X",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--size: must be at least 10");
  });

  it("registry list, get, create (password from stdin), delete", async () => {
    const [reg] = JSON.parse((await ok(["registry", "list", "--json"])).stdout);
    await ok(["registry", "get", reg.id]);
    const created = await ok(["registry", "create", "--name", "r", "--username", "u"], "s3cret\n");
    expect(created.stdout).toMatch(/^Saved registry credentials/);
    expect(created.stdout).not.toContain("s3cret");
    await ok(["registry", "delete", reg.id]);
    const none = await s.run(["registry", "create", "--name", "r", "--username", "u"], {
      input: "",
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No registry password on stdin");
  });

  it("datacenter list, cluster list/get/pods/create/delete", async () => {
    expect((await ok(["datacenter", "list"])).stdout).toMatch(/^ID\s+NAME\s+REGION/);
    const [cluster] = JSON.parse((await ok(["cluster", "list", "--json"])).stdout);
    await ok(["cluster", "get", cluster.id]);
    await ok(["cluster", "pods", cluster.id]);
    await ok([
      "cluster",
      "create",
      "--name",
      "c",
      "--type",
      "TRAINING",
      "--gpu",
      "NVIDIA H100 80GB HBM3",
      "--gpus-per-pod",
      "8",
      "--pods",
      "2",
    ]);
    await ok(["cluster", "delete", cluster.id]);
  });

  it("billing views", async () => {
    for (const view of [
      "summary",
      "pods",
      "serverless",
      "endpoints",
      "network-volumes",
      "clusters",
    ]) {
      await ok(["billing", view, "--bucket", "day", "--last", "7"]);
    }
    expect((await ok(["billing", "pods"])).stdout).toMatch(/^FROM\s+TO\s+RESOURCE\s+TOTAL \$\n\S+/);
    const json = JSON.parse((await ok(["billing", "pods", "--id", "p1", "--json"])).stdout);
    expect(Array.isArray(json.records)).toBe(true);
  });
});
