/**
 * `template` and `endpoint` management on REST v2: against Prism, so every request validates
 * against the document, and against a scripted local server for exact request bodies, several
 * calls in a row and chosen errors.
 */
import { describe, expect, it } from "vitest";
import type { Template } from "../../src/api/types.js";
import type { RecordedRequest, Reply } from "../helpers/scripted-server.js";
import { useApiSession } from "./api-session.js";
import { useRestSession } from "./rest-session.js";

const s = useRestSession();
const g = useApiSession();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** Answers the scripted server's requests by `METHOD path`; anything else is a 404 problem. */
function route(routes: Record<string, (req: RecordedRequest) => Reply>): void {
  s.fake.handle(
    (req) =>
      routes[`${req.method} ${req.path}`]?.(req) ?? {
        status: 404,
        json: { title: "Not Found", status: 404, detail: `no route ${req.method} ${req.path}` },
      },
  );
}

const template = (fields: Partial<Template>): Template => ({
  id: "tpl-1",
  name: "worker-tpl",
  image: "me/worker:1",
  args: "",
  disk: 10,
  mounts: {},
  ports: [],
  env: {},
  registry: null,
  serverless: true,
  public: false,
  category: "NVIDIA",
  startSsh: true,
  startJupyter: true,
  allowedCudaVersions: [],
  ...fields,
});

describe("runpod-ts template", () => {
  it("list, get, create, update and delete: every request valid for the document", async () => {
    const list = await s.ok(["template", "list"]);
    const [header, row] = list.stdout.split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+KIND\s+DISK\s+IMAGE$/);
    expect(row).toMatch(/^9x4m2p7v\s+PyTorch GPU Template\s+pod\s+50 GB\s+runpod\/pytorch:\S+$/);
    const [first] = JSON.parse((await s.ok(["template", "list", "--json"])).stdout);
    expect(first).toMatchObject({ id: "9x4m2p7v", serverless: false });
    const catalog = await s.ok(["template", "list", "--catalog", "community"]);
    expect(catalog.stdout).toMatch(/^ID\s+NAME/);

    const got = await s.ok(["template", "get", "9x4m2p7v"]);
    expect(got.stdout).toMatch(/^Volume\s+20 GB at \/workspace$/m);
    expect(got.stdout).toMatch(/^Env\s+JUPYTER_ENABLE_LAB$/m);
    expect(json((await s.ok(["template", "get", "9x4m2p7v", "--json"])).stdout).id).toBe(
      "9x4m2p7v",
    );

    const created = await s.ok([
      ...["template", "create", "--name", "worker-tpl", "--image", "me/worker:1"],
      ...["--serverless", "--env", "MODEL=tiny", "--container-disk", "15", "--volume", "20"],
      ...["--ports", "8000/http", "--registry-auth-id", "reg-1", "--cuda", "12.4,12.8"],
      ...["--start-cmd", "node dist/handler.js", "--category", "NVIDIA"],
    ]);
    expect(created.stdout).toMatch(/^Created (pod|serverless) template .+ \(\w+\)$/m);

    await s.ok([
      ...["template", "update", "9x4m2p7v", "--name", "renamed", "--env", "A=1"],
      ...["--ports", "", "--registry-auth-id", "", "--volume", "30", "--volume-path", "/data"],
    ]);
    const deleted = await s.ok(["template", "delete", "PyTorch GPU Template", "--json"]);
    expect(json(deleted.stdout)).toEqual({
      id: "9x4m2p7v",
      name: "PyTorch GPU Template",
      deleted: true,
    });
  });

  it("create and update send exactly what the flags say", async () => {
    route({
      "POST /v2/templates": (req) => ({ status: 201, json: template(req.body as Template) }),
      "PATCH /v2/templates/tpl-1": (req) => ({ json: template(req.body as Template) }),
    });
    const created = await s.onFake([
      ...["template", "create", "--name", "worker-tpl", "--image", "me/worker:1"],
      ...["--serverless", "--env", "MODEL=tiny", "--container-disk", "15", "--volume", "20"],
      ...["--ports", "8000/http, 22/tcp", "--registry-auth-id", "reg-1", "--cuda", "12.4"],
      ...["--start-cmd", "node dist/handler.js"],
    ]);
    expect(created.stdout).toBe("Created serverless template worker-tpl (tpl-1)\n");
    expect(created.requests.map((r) => r.body)).toEqual([
      {
        name: "worker-tpl",
        image: "me/worker:1",
        serverless: true,
        args: "node dist/handler.js",
        disk: 15,
        mounts: { persistent: { size: 20, path: "/workspace" } },
        ports: ["8000/http", "22/tcp"],
        env: { MODEL: "tiny" },
        registry: "reg-1",
        allowedCudaVersions: ["12.4"],
      },
    ]);
    const pod = await s.onFake(["template", "create", "--name", "box", "--image", "ubuntu"]);
    expect(pod.requests[0]?.body).toEqual({
      name: "box",
      image: "ubuntu",
      serverless: false,
      disk: 10,
    });

    const updated = await s.onFake([
      ...["template", "update", "tpl-1", "--image", "me/worker:2", "--ports", ""],
      ...["--registry-auth-id", "", "--cuda", "", "--env", "A=1", "--env", "B=2"],
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/^Updated template worker-tpl \(tpl-1\)/);
    expect(updated.requests[0]?.body).toEqual({
      image: "me/worker:2",
      ports: [],
      env: { A: "1", B: "2" },
      registry: null,
      allowedCudaVersions: [],
    });
  });

  it("delete takes a name or an id; unknown or in use, it says so", async () => {
    const mine = [template({ id: "tpl-1", name: "a" }), template({ id: "tpl-2", name: "b" })];
    route({
      "GET /v2/templates": () => ({ json: { templates: mine } }),
      "DELETE /v2/templates/tpl-2": () => ({ status: 204 }),
      "DELETE /v2/templates/tpl-1": () => ({
        status: 400,
        headers: { "content-type": "application/problem+json" },
        text: JSON.stringify({ title: "Bad Request", status: 400, detail: "template is in use" }),
      }),
    });
    const byId = await s.onFake(["template", "delete", "tpl-2"]);
    expect(byId.stdout).toBe("Deleted template b (tpl-2)\n");
    expect(byId.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v2/templates",
      "DELETE /v2/templates/tpl-2",
    ]);
    const missing = await s.onFake(["template", "delete", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No template named "nope" or with that id');
    expect(missing.requests.map((r) => r.method)).toEqual(["GET"]);
    const inUse = await s.onFake(["template", "delete", "a"]);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toBe(
      "error: Runpod refused to delete template a: template is in use; a template in use by a pod or an endpoint cannot be deleted; delete those first\n",
    );
  });

  it("bad or missing flags are usage errors, with no request", async () => {
    await s.usageError(
      ["template", "create", "--name", "x"],
      "required option '--image <image>' not specified",
    );
    await s.usageError(
      ["template", "create", "--name", "x", "--image", "y", "--container-disk", "big"],
      "--container-disk: must be a whole number",
      "Usage: runpod-ts template create",
    );
    await s.usageError(
      ["template", "create", "--name", "x", "--image", "y", "--volume", "5"],
      "--volume: must be 0 (none) or at least 10 GB",
    );
    await s.usageError(
      ["template", "create", "--name", "x", "--image", "y", "--volume-path", "/data"],
      "--volume-path: needs --volume GB (at least 10)",
    );
    await s.usageError(
      ["template", "create", "--name", "x", "--image", "y", "--readme", "hello"],
      "--readme: REST v2 templates have no readme; write it in the Runpod console's template editor",
    );
    await s.usageError(
      ["template", "update", "tpl-1"],
      "nothing to change: give at least one option",
    );
    await s.usageError(
      ["template", "update", "tpl-1", "--volume", "20"],
      "--volume: give --volume and --volume-path together",
    );
    await s.usageError(["template", "list", "--catalog", "mine"], "--catalog: ");
  });

  it("an unknown id is named, with where to find the right one", async () => {
    route({});
    const missing = await s.onFake(["template", "get", "tpl-x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: No template "tpl-x"; list your templates with `runpod-ts template list` (public ones: `--catalog official`)\n',
    );
    const update = await s.onFake(["template", "update", "tpl-x", "--name", "y"]);
    expect(update.stderr).toContain('error: No template "tpl-x" of yours;');
  });
});

describe("runpod-ts endpoint", () => {
  it("create, list (table and JSON), then delete after scaling to zero", async () => {
    const templateId = "tpl-serverless";
    const created = await g.run([
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
    expect(g.server.requests.at(-1)?.variables?.input).toMatchObject({
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

    const list = await g.run(["endpoint", "list"]);
    const [header, row] = list.stdout.split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+GPUS\s+WORKERS\s+TEMPLATE\s+CREATED$/);
    // The test server stamps every endpoint with a fixed creation time; only its form is checked.
    expect(row).toMatch(
      new RegExp(
        `^${id}\\s+echo\\s+1 × AMPERE_16,ADA_24\\s+1-4\\s+${templateId}\\s+(\\d+ \\w+ (ago)|in \\d+ \\w+|\\d{4}-\\d\\d-\\d\\d|just now)$`,
      ),
    );
    const data = JSON.parse((await g.run(["endpoint", "list", "--json"])).stdout);
    expect(data).toEqual([expect.objectContaining({ id, name: "echo", workersMax: 4 })]);

    const deleted = await g.run(["endpoint", "delete", id, "--json"]);
    expect(json(deleted.stdout)).toEqual({ id, name: "echo", scaledDown: true, deleted: true });
    const ops = g.server.requests.slice(-3).map((r) => r.operationName);
    expect(ops).toEqual(["Endpoint", "SaveEndpoint", "DeleteEndpoint"]);
    expect(g.server.state.endpoints.has(id)).toBe(false);
  });

  it("validates flags before sending: workers out of order, an unknown scaler", async () => {
    await g.usageError(
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
    await g.usageError(
      ["endpoint", "create", "--name", "x", "--template-id", "t", "--scaler", "FAST"],
      "Allowed choices are QUEUE_DELAY, REQUEST_COUNT",
    );
  });

  it("delete of an unknown endpoint exits 1; without a key, exit 1 with the hint", async () => {
    const missing = await g.run(["endpoint", "delete", "ep-nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No endpoint "ep-nope" on this account');
    const noKey = await g.runCounting(["endpoint", "list"], { RUNPOD_API_KEY: "" });
    expect(noKey.code).toBe(1);
    expect(noKey.requests).toBe(0);
    expect(noKey.stderr).toContain("No Runpod API key configured; set one with `runpod-ts config`");
  });
});
