/** The queue API's auth, cross-site and loopback rules in front of the load balancer; options. */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { createLocalPlatform } from "../../src/local/index.js";
import { readyWorkers, startLb } from "../helpers/load-balancer.js";

/** A GET with a `Host` header of our choosing (fetch would not let us set it). */
function getWithHost(
  url: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/env`, { headers: { ...headers, host } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject).end();
  });
}

/** Raw upgrade request; resolves with the status line the balancer answers. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/ws`, {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        ...headers,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject).end();
  });
}

describe("load balancer: auth", () => {
  it("with an API key, answers 401 without it and proxies with it; workers never see refused requests", async () => {
    const { url, platform } = await startLb({}, { apiKey: "lb-secret" });
    const [worker] = await readyWorkers(platform, 1);
    for (const authorization of [undefined, "Bearer wrong"]) {
      const res = await fetch(`${url}/env`, authorization ? { headers: { authorization } } : {});
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: "unauthorized: missing or invalid API key" });
      expect(text).not.toContain("lb-secret");
    }
    expect(platform.loadBalancerWorkers()[0]?.served).toBe(worker?.served);
    const ok = await fetch(`${url}/env`, { headers: { authorization: "Bearer lb-secret" } });
    expect(ok.status).toBe(200);
    expect(await upgradeStatus(url, {})).toBe(401);
    expect(await upgradeStatus(url, { authorization: "Bearer lb-secret" })).toBe(101);
  });
});

describe("load balancer: pages of other sites and DNS rebinding", () => {
  it("refuses another site's Origin and Sec-Fetch-Site, lets loopback pages in", async () => {
    const { url } = await startLb();
    const evil = await fetch(`${url}/env`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
    });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error).toMatch(/^cross-site request refused/);
    const site = await fetch(`${url}/env`, { headers: { "sec-fetch-site": "cross-site" } });
    expect(site.status).toBe(403);
    const local = await fetch(`${url}/env`, { headers: { origin: "http://localhost:3000" } });
    expect(local.status).toBe(200);
    expect(await upgradeStatus(url, { origin: "https://evil.example" })).toBe(403);
  });

  it("on a loopback bind, answers only requests addressed to a loopback name", async () => {
    const { url } = await startLb();
    const rebound = await getWithHost(url, "attacker.example:1234");
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toMatch(
      /^request for host attacker\.example:1234 refused/,
    );
    expect((await getWithHost(url, `localhost:${new URL(url).port}`)).status).toBe(200);
  });
});

describe("load balancer: endpoints named by host (<id>.localhost, as <id>.api.runpod.ai)", () => {
  it("serves its own name, answers 400 not allowed for QB API for the queue endpoint's, 404 for others", async () => {
    const { url, platform } = await startLb(
      { endpointId: "my-lb" },
      { endpointId: "my-queue", apiKey: "k" },
    );
    const port = new URL(url).port;
    const auth = { authorization: "Bearer k" };
    const [worker] = await readyWorkers(platform, 1);
    expect(platform.loadBalancerEndpointId).toBe("my-lb");

    const own = await getWithHost(url, `my-lb.localhost:${port}`, auth);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body).PORT).toBe(String(worker?.port));

    // Refused before the key is checked, as production routes by host first; the worker never
    // sees it.
    for (const headers of [auth, {}]) {
      const queue = await getWithHost(url, `my-queue.localhost:${port}`, headers);
      expect(queue.status).toBe(400);
      expect(JSON.parse(queue.body)).toEqual({ error: "not allowed for QB API" });
    }
    const other = await getWithHost(url, `nobody.localhost:${port}`, auth);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body).error).toBe(
      "no load-balancing endpoint nobody here; this port serves my-lb",
    );
    expect(platform.loadBalancerWorkers()[0]?.served).toBe(1);

    // The queue API's own server is the LB host a client derives for the queue endpoint from
    // RUNPOD_ENDPOINT_BASE_URL=http://localhost:<port>/v2: the same refusal there.
    const queueApi = `http://127.0.0.1:${platform.port}`;
    const derived = await getWithHost(queueApi, `my-queue.localhost:${platform.port}`, auth);
    expect(derived.status).toBe(400);
    expect(JSON.parse(derived.body)).toEqual({ error: "not allowed for QB API" });
    expect((await getWithHost(queueApi, `my-lb.localhost:${platform.port}`, auth)).status).toBe(
      404,
    );
  });
});

describe("load balancer: options", () => {
  it("are checked at the boundary, naming each bad option", async () => {
    const bad = [
      [{ command: [] }, "loadBalancer.command"],
      [{ command: ["node"], workers: { min: 3, max: 1 } }, "loadBalancer.workers.min"],
      [{ command: ["node"], healthPath: "ping" }, "loadBalancer.healthPath"],
      [{ command: ["node"], requestTimeoutMs: -1 }, "loadBalancer.requestTimeoutMs"],
      [{ command: ["node"], colour: "blue" }, "colour"],
      [{ command: ["node"], endpointId: "LOCAL" }, "loadBalancer.endpointId"],
      [{ command: ["node"], endpointId: "a.b" }, "loadBalancer.endpointId"],
    ] as const;
    for (const [loadBalancer, named] of bad) {
      const attempt = createLocalPlatform({ port: 0, loadBalancer: loadBalancer as never });
      await expect(attempt).rejects.toThrow(ValidationError);
      await expect(attempt).rejects.toThrow(named);
    }
  });

  it("without a load balancer, the platform has no URL for one and no workers", async () => {
    const platform = await createLocalPlatform({ port: 0, dashboard: false });
    try {
      expect(platform.loadBalancerUrl).toBeUndefined();
      expect(platform.loadBalancerWorkers()).toEqual([]);
    } finally {
      await platform.close();
    }
  });
});
