/**
 * `runpod-ts deploy` on REST v2: against Prism (every request valid for the document, on both
 * paths), and against a local fake that keeps the endpoints it is given, so a second deploy finds
 * the first one's endpoint.
 */
import { describe, expect, it } from "vitest";
import type { Endpoint } from "../../src/api/types.js";
import { nameFromImage } from "../../src/cli/commands/deploy/run.js";
import { useRestSession } from "./rest-session.js";

const s = useRestSession();

describe("runpod-ts deploy", () => {
  it("creates, or updates the endpoint of that name: requests valid for the document", async () => {
    const created = await s.ok(["deploy", "--image", "me/echo-worker:1", "--gpu", "ADA_24"]);
    expect(created.stdout).toMatch(
      /^Created endpoint echo-worker \(\w+\) with me\/echo-worker:1\n/,
    );
    // Prism's endpoint list holds "image-generator": the same name updates it.
    const updated = await s.ok([
      ...["deploy", "--image", "me/image-generator:2", "--workers-max", "2"],
      ...["--env", "MODEL=tiny", "--json"],
    ]);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      action: "updated",
      endpointId: "4m7x2k9q",
      name: "image-generator",
      image: "me/image-generator:2",
    });
  });

  it("creates the endpoint with the image, then gives it the next image", async () => {
    const endpoints: Endpoint[] = [];
    s.fake.handle((req) => {
      if (req.method === "GET" && req.path === "/v2/serverless") return { json: { endpoints } };
      if (req.method === "POST" && req.path === "/v2/serverless") {
        const made = {
          ...(req.body as Endpoint),
          id: `ep-${endpoints.length + 1}`,
          dataCenterIds: [],
          networkVolumes: [],
          timeout: 300_000,
          flashboot: "OFF" as const,
          createdAt: "2026-06-01T12:00:00Z",
        };
        endpoints.push(made);
        return { status: 201, json: made };
      }
      const found = endpoints.find((e) => req.path === `/v2/serverless/${e.id}`);
      if (req.method === "PATCH" && found) return { json: { ...found, ...(req.body as object) } };
      return { status: 404, json: { title: "Not Found", status: 404, detail: req.path } };
    });

    const first = await s.onFake([
      ...["deploy", "--image", "me/echo-worker:0.1.0", "--gpu", "ADA_24", "--workers-max", "2"],
      ...["--env", "MODEL=tiny", "--container-disk", "20"],
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v2/serverless",
      "POST /v2/serverless",
    ]);
    expect(first.requests[1]?.body).toEqual({
      name: "echo-worker",
      type: "QUEUE",
      image: "me/echo-worker:0.1.0",
      disk: 20,
      env: { MODEL: "tiny" },
      gpu: { pools: ["ADA_24"], count: 1 },
      workers: { min: 0, max: 2, idleTimeout: 5 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
    });
    expect(first.stdout).toBe(
      [
        "Created endpoint echo-worker (ep-1) with me/echo-worker:0.1.0",
        "",
        "run      https://api.runpod.ai/v2/ep-1/run",
        "runsync  https://api.runpod.ai/v2/ep-1/runsync",
        "health   https://api.runpod.ai/v2/ep-1/health",
        "",
      ].join("\n"),
    );

    const second = await s.onFake(
      ["deploy", "--image", "me/echo-worker:0.2.0", "--workers-min", "1", "--json"],
      { RUNPOD_ENDPOINT_BASE_URL: "http://127.0.0.1:9/v2/" },
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v2/serverless",
      "PATCH /v2/serverless/ep-1",
    ]);
    // Only the image, the disk and what was given: the GPU pools and the env stay as they were.
    expect(second.requests[1]?.body).toEqual({
      image: "me/echo-worker:0.2.0",
      disk: 10,
      workers: { min: 1 },
    });
    expect(JSON.parse(second.stdout)).toEqual({
      action: "updated",
      endpointId: "ep-1",
      name: "echo-worker",
      image: "me/echo-worker:0.2.0",
      urls: {
        run: "http://127.0.0.1:9/v2/ep-1/run",
        runsync: "http://127.0.0.1:9/v2/ep-1/runsync",
        health: "http://127.0.0.1:9/v2/ep-1/health",
      },
    });
  });

  it("--workers-min alone never sends a minimum above the most workers", async () => {
    // A new endpoint: the default most workers (3) is raised to the minimum; valid for Prism.
    const created = await s.ok(["deploy", "--image", "me/big-worker:1", "--workers-min", "4"]);
    expect(created.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v2/serverless",
      "POST /v2/serverless",
    ]);
    expect(created.sent[1]?.body).toMatchObject({ workers: { min: 4, max: 4, idleTimeout: 5 } });

    // An existing one (Prism's "image-generator", 0-5 workers): raised only past its own most.
    const within = await s.ok(["deploy", "--image", "me/image-generator:2", "--workers-min", "4"]);
    expect(within.sent[1]?.body).toMatchObject({ workers: { min: 4 } });
    expect(within.sent[1]?.body).not.toHaveProperty("workers.max");
    const past = await s.ok(["deploy", "--image", "me/image-generator:2", "--workers-min", "7"]);
    expect(past.sent[1]).toMatchObject({
      method: "PATCH",
      path: "/v2/serverless/4m7x2k9q",
      body: { workers: { min: 7, max: 7 } },
    });
    await s.usageError(
      ["deploy", "--image", "me/w:1", "--workers-min", "4", "--workers-max", "2"],
      "--workers-min: must not exceed --workers-max",
    );
  });

  it("checks its flags before any request; --image is required", async () => {
    await s.usageError(
      ["deploy", "--name", "x"],
      "required option '--image <image>' not specified",
    );
    await s.usageError(
      ["deploy", "--image", "me/w:1", "--workers-min", "3", "--workers-max", "1", "--env", "=x"],
      "--env: use KEY=VALUE",
      "--workers-min: must not exceed --workers-max",
      "Usage: runpod-ts deploy",
    );
    const noKey = await s.onFake(["deploy", "--image", "me/w:1"], { RUNPOD_API_KEY: "" });
    expect(noKey.code).toBe(1);
    expect(noKey.requests).toEqual([]);
    expect(noKey.stderr).toContain("No Runpod API key configured");
  });
});

describe("nameFromImage", () => {
  it("takes the repository's last part, without tag or digest", () => {
    expect(nameFromImage("docker.io/me/my-worker:1.2")).toBe("my-worker");
    expect(nameFromImage("ghcr.io/org/gpu.worker@sha256:abcd")).toBe("gpu-worker");
    expect(nameFromImage("ab")).toBe("worker-ab");
  });
});
