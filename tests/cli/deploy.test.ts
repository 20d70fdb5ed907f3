import { describe, expect, it } from "vitest";
import { nameFromImage } from "../../src/cli/commands/deploy/run.js";
import { useApiSession } from "./api-session.js";

const s = useApiSession();

describe("runpod-ts deploy", () => {
  it("creates a serverless template and an endpoint, and prints the endpoint's URLs", async () => {
    const r = await s.run([
      "deploy",
      "--image",
      "me/echo-worker:0.1.0",
      "--gpu",
      "ADA_24",
      "--workers-max",
      "2",
      "--env",
      "MODEL=tiny",
      "--container-disk",
      "20",
    ]);
    expect(r.code).toBe(0);
    const endpoint = [...s.server.state.endpoints.values()][0];
    const template = s.server.state.templates.get(String(endpoint?.templateId));
    expect(template).toMatchObject({
      imageName: "me/echo-worker:0.1.0",
      isServerless: true,
      containerDiskInGb: 20,
      env: [{ key: "MODEL", value: "tiny" }],
    });
    expect(String(template?.name)).toMatch(/^echo-worker-\d{8}T\d{6}-[0-9a-f]{4}$/);
    expect(endpoint).toMatchObject({ name: "echo-worker", gpuIds: "ADA_24", workersMax: 2 });
    const id = String(endpoint?.id);
    expect(r.stdout).toBe(
      [
        `Created endpoint echo-worker (${id}) with template ${String(template?.name)}`,
        "",
        `run      https://api.runpod.ai/v2/${id}/run`,
        `runsync  https://api.runpod.ai/v2/${id}/runsync`,
        `health   https://api.runpod.ai/v2/${id}/health`,
        "",
      ].join("\n"),
    );
  });

  it("updates the endpoint of that name: a new template, and only the settings given", async () => {
    const [endpoint] = s.server.state.endpoints.values();
    const id = String(endpoint?.id);
    const oldTemplate = endpoint?.templateId;
    const r = await s.run(
      [
        "deploy",
        "--image",
        "me/echo-worker:0.2.0",
        "--name",
        "echo-worker",
        "--workers-min",
        "1",
        "--json",
      ],
      { RUNPOD_ENDPOINT_BASE_URL: "http://127.0.0.1:9/v2/" },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const updated = s.server.state.endpoints.get(id);
    expect(s.server.state.endpoints.size).toBe(1);
    expect(updated?.templateId).toBe(result.templateId);
    expect(updated?.templateId).not.toBe(oldTemplate);
    // The earlier settings survive the update; only --workers-min changed.
    expect(updated).toMatchObject({ gpuIds: "ADA_24", workersMin: 1, workersMax: 2 });
    expect(s.server.state.templates.get(result.templateId)?.imageName).toBe("me/echo-worker:0.2.0");
    expect(result).toEqual({
      action: "updated",
      endpointId: id,
      name: "echo-worker",
      templateId: result.templateId,
      templateName: expect.stringMatching(/^echo-worker-/),
      urls: {
        run: `http://127.0.0.1:9/v2/${id}/run`,
        runsync: `http://127.0.0.1:9/v2/${id}/runsync`,
        health: `http://127.0.0.1:9/v2/${id}/health`,
      },
    });
    const ops = s.server.requests.slice(-5).map((q) => q.operationName);
    expect(ops).toEqual([
      "MyEndpoints",
      "SaveTemplate",
      "UpdateEndpointTemplate",
      "Endpoint",
      "SaveEndpoint",
    ]);
  });

  it("checks its flags before any request; --image is required", async () => {
    await s.usageError(
      ["deploy", "--name", "x"],
      "required option '--image <image>' not specified",
    );
    await s.usageError(
      ["deploy", "--image", "me/w:1", "--workers-min", "3", "--workers-max", "1", "--env", "=x"],
      "--env: use KEY=VALUE",
      "Usage: runpod-ts deploy",
    );
    const noKey = await s.runCounting(["deploy", "--image", "me/w:1"], { RUNPOD_API_KEY: "" });
    expect(noKey.code).toBe(1);
    expect(noKey.requests).toBe(0);
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
