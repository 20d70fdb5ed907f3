import { describe, expect, it } from "vitest";
import { useApiSession } from "./api-session.js";

const s = useApiSession();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe("runpod-ts template", () => {
  it("create sends every flag; list shows the kinds; a duplicate name is the server's error", async () => {
    const created = await s.run([
      "template",
      "create",
      "--name",
      "worker-tpl",
      "--image",
      "me/worker:1",
      "--serverless",
      "--env",
      "MODEL=tiny",
      "--container-disk",
      "15",
      "--start-cmd",
      "node dist/handler.js",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const template = json(created.stdout);
    expect(template).toMatchObject({
      name: "worker-tpl",
      imageName: "me/worker:1",
      isServerless: true,
      containerDiskInGb: 15,
      dockerArgs: "node dist/handler.js",
      env: [{ key: "MODEL", value: "tiny" }],
    });
    const pod = await s.run(["template", "create", "--name", "dev-box", "--image", "ubuntu"]);
    expect(pod.stdout).toMatch(/^Created pod template dev-box \(tpl-\d+\)$/m);

    const list = await s.run(["template", "list"]);
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+KIND\s+DISK\s+IMAGE$/);
    expect(list.stdout).toMatch(
      new RegExp(
        `^${String(template.id)}\\s+worker-tpl\\s+serverless\\s+15 GB\\s+me/worker:1$`,
        "m",
      ),
    );
    expect(list.stdout).toMatch(/\s+dev-box\s+pod\s+10 GB\s+ubuntu$/m);

    const data = JSON.parse((await s.run(["template", "list", "--json"])).stdout);
    expect(data.map((t: { name: string }) => t.name).sort()).toEqual(["dev-box", "worker-tpl"]);

    const duplicate = await s.run(["template", "create", "--name", "dev-box", "--image", "x"]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe(
      "error: Runpod refused SaveTemplate: Template name must be unique: dev-box\n",
    );
  });

  it("delete takes a name or an id; an unknown one is an error before any delete", async () => {
    const id = [...s.server.state.templates.values()].find((t) => t.name === "dev-box")?.id;
    const byId = await s.run(["template", "delete", String(id), "--json"]);
    expect(json(byId.stdout)).toEqual({ id, name: "dev-box", deleted: true });
    const sent = s.server.requests.at(-1);
    expect(sent?.operationName).toBe("DeleteTemplate");
    expect(sent?.variables).toEqual({ templateName: "dev-box" });

    const missing = await s.run(["template", "delete", "dev-box"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No template named "dev-box" or with that id');
    expect(s.server.requests.at(-1)?.operationName).toBe("MyTemplates");
  });

  it("create without its required flags is a usage error with no request", async () => {
    await s.usageError(
      ["template", "create", "--name", "x"],
      "required option '--image <image>' not specified",
    );
    await s.usageError(
      ["template", "create", "--name", "x", "--image", "y", "--container-disk", "big"],
      "--container-disk: must be a whole number",
      "Usage: runpod-ts template create",
    );
  });
});

describe("runpod-ts endpoint", () => {
  it("create, list (table and JSON), then delete after scaling to zero", async () => {
    const templateId = String(
      [...s.server.state.templates.values()].find((t) => t.name === "worker-tpl")?.id,
    );
    const created = await s.run([
      "endpoint",
      "create",
      "--name",
      "echo",
      "--template-id",
      templateId,
      "--gpu",
      "AMPERE_16, ADA_24",
      "--workers-min",
      "1",
      "--workers-max",
      "4",
      "--flashboot",
      "--execution-timeout",
      "90",
    ]);
    expect(created.code).toBe(0);
    const id = /\((ep-\d+)\)/.exec(created.stdout)?.[1] as string;
    expect(created.stdout).toBe(`Created endpoint echo (${id})\n`);
    expect(s.server.requests.at(-1)?.variables?.input).toMatchObject({
      name: "echo",
      templateId,
      gpuIds: "AMPERE_16,ADA_24",
      workersMin: 1,
      workersMax: 4,
      flashBootType: "FLASHBOOT",
      executionTimeoutMs: 90_000,
      scalerType: "QUEUE_DELAY",
      scalerValue: 4,
    });

    const list = await s.run(["endpoint", "list"]);
    const [header, row] = list.stdout.split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+GPUS\s+WORKERS\s+TEMPLATE\s+CREATED$/);
    // The test server stamps every endpoint with a fixed creation time; only its form is checked.
    expect(row).toMatch(
      new RegExp(
        `^${id}\\s+echo\\s+1 × AMPERE_16,ADA_24\\s+1-4\\s+${templateId}\\s+(\\d+ \\w+ (ago)|in \\d+ \\w+|\\d{4}-\\d\\d-\\d\\d|just now)$`,
      ),
    );
    const data = JSON.parse((await s.run(["endpoint", "list", "--json"])).stdout);
    expect(data).toEqual([expect.objectContaining({ id, name: "echo", workersMax: 4 })]);

    const deleted = await s.run(["endpoint", "delete", id, "--json"]);
    expect(json(deleted.stdout)).toEqual({ id, name: "echo", scaledDown: true, deleted: true });
    const ops = s.server.requests.slice(-3).map((r) => r.operationName);
    expect(ops).toEqual(["Endpoint", "SaveEndpoint", "DeleteEndpoint"]);
    expect(s.server.state.endpoints.has(id)).toBe(false);
  });

  it("validates flags before sending: workers out of order, an unknown scaler", async () => {
    await s.usageError(
      [
        "endpoint",
        "create",
        "--name",
        "x",
        "--template-id",
        "t",
        "--workers-min",
        "5",
        "--workers-max",
        "2",
      ],
      "--workers-min: must not exceed --workers-max",
      "Usage: runpod-ts endpoint create",
    );
    await s.usageError(
      ["endpoint", "create", "--name", "x", "--template-id", "t", "--scaler", "FAST"],
      "Allowed choices are QUEUE_DELAY, REQUEST_COUNT",
    );
  });

  it("delete of an unknown endpoint exits 1; without a key, exit 1 with the hint", async () => {
    const missing = await s.run(["endpoint", "delete", "ep-nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No endpoint "ep-nope" on this account');
    const noKey = await s.runCounting(["endpoint", "list"], { RUNPOD_API_KEY: "" });
    expect(noKey.code).toBe(1);
    expect(noKey.requests).toBe(0);
    expect(noKey.stderr).toContain("No Runpod API key configured; set one with `runpod-ts config`");
  });
});
