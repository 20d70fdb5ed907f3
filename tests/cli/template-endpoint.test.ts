/**
 * `template` and `endpoint` management on REST v2: against Prism, so every request validates
 * against the document, and against a scripted local server for exact request bodies, several
 * calls in a row and chosen errors.
 */
import { describe, expect, it } from "vitest";
import type { Endpoint, Template } from "../../src/api/types.js";
import type { RecordedRequest, Reply } from "../helpers/scripted-server.js";
import { useRestSession } from "./rest-session.js";

const s = useRestSession();
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

    // Prism's lists: "PyTorch GPU Template" (yours) and "PyTorch 2.8" (each catalog source).
    const found = JSON.parse((await s.ok(["template", "search", "PYTORCH", "--json"])).stdout);
    expect(found.map((t: Template) => t.id).sort()).toEqual(["30zmvf89kd", "9x4m2p7v"]);
    const official = await s.ok(["template", "search", "torch", "--catalog", "official"]);
    expect(official.stdout).toMatch(/^30zmvf89kd\s+PyTorch 2\.8\s+pod/m);
    expect(official.stdout).not.toContain("9x4m2p7v");
    const none = await s.ok(["template", "search", "comfyui"]);
    expect(none.stdout).toBe('No template\'s name or image contains "comfyui".\n');

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

  it("list and search show a page with --offset and --limit, cut from the whole list", async () => {
    const mine = ["tpl-1", "tpl-2", "tpl-3"].map((id) => template({ id, name: `torch-${id}` }));
    route({ "GET /v2/templates": () => ({ json: { templates: mine } }) });
    const ids = (stdout: string) => JSON.parse(stdout).map((t: Template) => t.id);
    const page = await s.onFake(["template", "list", "--offset", "1", "--limit", "1", "--json"]);
    expect(page.code, page.stderr).toBe(0);
    expect(ids(page.stdout)).toEqual(["tpl-2"]);
    // The document has no paging parameters: the list is asked for whole.
    expect(page.requests.map((r) => [r.path, r.query])).toEqual([["/v2/templates", {}]]);
    expect(ids((await s.onFake(["template", "list", "--offset", "2", "--json"])).stdout)).toEqual([
      "tpl-3",
    ]);
    expect(ids((await s.onFake(["template", "list", "--limit", "2", "--json"])).stdout)).toEqual([
      "tpl-1",
      "tpl-2",
    ]);
    const past = await s.onFake(["template", "list", "--offset", "3"]);
    expect(past.stdout).toBe(
      "No templates. Create one with `runpod-ts template create --name NAME --image IMAGE`.\n",
    );
  });

  it("--offset and --limit send nothing more: the requests stay valid for the document", async () => {
    const catalog = await s.ok(["template", "list", "--catalog", "official", "--limit", "1"]);
    expect(catalog.stdout.trim().split("\n")).toHaveLength(2);
    expect(catalog.sent.map((r) => r.query)).toEqual([{ source: "official" }]);
    const found = await s.ok(["template", "search", "torch", "--limit", "1", "--json"]);
    expect(JSON.parse(found.stdout)).toHaveLength(1);
  });

  it("bad or missing flags are usage errors, with no request", async () => {
    await s.usageError(["template", "list", "--limit", "0"], "--limit: must be at least 1");
    await s.usageError(["template", "list", "--offset", "x"], "--offset: must be a whole number");
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

const endpoint = (fields: Partial<Endpoint>): Endpoint => ({
  id: "ep-1",
  name: "echo",
  type: "QUEUE",
  image: "me/worker:1",
  gpu: { pools: ["AMPERE_16"], count: 1, allowedCudaVersions: [], minCudaVersion: null },
  workers: { min: 0, max: 3, idleTimeout: 5 },
  scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  dataCenterIds: [],
  networkVolumes: [],
  timeout: 300_000,
  flashboot: "OFF",
  createdAt: "2026-06-01T12:00:00Z",
  ...fields,
});

describe("runpod-ts endpoint", () => {
  it("list, get, create, update and delete: every request valid for the document", async () => {
    const list = await s.ok(["endpoint", "list"]);
    const [header, row] = list.stdout.split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+TYPE\s+COMPUTE\s+WORKERS\s+CREATED$/);
    expect(row).toMatch(/^4m7x2k9q\s+image-generator\s+QUEUE\s+1 × ADA_24\s+0-5\s+\S/);
    const [first] = JSON.parse((await s.ok(["endpoint", "list", "--json"])).stdout);
    expect(first).toMatchObject({ id: "4m7x2k9q", workers: { min: 0, max: 5 } });

    const got = await s.ok(["endpoint", "get", "4m7x2k9q"]);
    expect(got.stdout).toMatch(/^Scaler\s+REQUEST_COUNT 4$/m);
    expect(got.stdout).toMatch(/^base\s+https:\/\/4m7x2k9q\.api\.runpod\.ai$/m);

    await s.ok([
      ...["endpoint", "create", "--name", "echo", "--template-id", "tpl-1"],
      ...["--gpu", "AMPERE_16, ADA_24", "--gpu-count", "2", "--workers-min", "1"],
      ...["--workers-max", "4", "--flashboot", "--execution-timeout", "90", "--cuda", "12.4"],
      ...["--network-volume-id", "vol-1", "--locations", "EU-RO-1", "--env", "A=1"],
    ]);
    const lb = await s.ok([
      ...["endpoint", "create", "--name", "lb", "--type", "LOAD_BALANCER"],
      ...["--image", "me/lb:1", "--ports", "8000/http", "--env", "PORT=8000"],
    ]);
    expect(lb.stdout).toMatch(/^Created \w+ endpoint .+ \(\w+\)\n\n\w+\s+https:\/\//);
    await s.ok([
      ...["endpoint", "create", "--name", "cpu", "--image", "me/cpu:1", "--cpu", "cpu5c:4"],
      ...["--scaler", "REQUEST_COUNT", "--scaler-value", "2"],
    ]);

    await s.ok([
      ...["endpoint", "update", "4m7x2k9q", "--workers-max", "0", "--no-flashboot"],
      ...["--image", "me/worker:2", "--scaler", "REQUEST_COUNT", "--scaler-value", "2"],
      ...["--min-cuda", "12.4"],
    ]);
    const deleted = await s.ok(["endpoint", "delete", "4m7x2k9q", "--json"]);
    expect(json(deleted.stdout)).toEqual({ id: "4m7x2k9q", deleted: true });
  });

  it("get --include-workers adds the active workers, read from the workers route", async () => {
    const got = await s.ok(["endpoint", "get", "4m7x2k9q", "--include-workers"]);
    expect(got.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v2/serverless/4m7x2k9q",
      "GET /v2/serverless/4m7x2k9q/workers",
    ]);
    expect(got.stdout).toMatch(/^Scaler\s+REQUEST_COUNT 4$/m);
    expect(got.stdout).toMatch(/\n\n\d+ workers: \d+ running, \d+ idle, /);
    const one = json(
      (await s.ok(["endpoint", "get", "4m7x2k9q", "--include-workers", "--json"])).stdout,
    );
    expect(one).toMatchObject({
      id: "4m7x2k9q",
      workers: { min: 0, max: 5 },
      activeWorkers: { workers: expect.any(Array), summary: { total: expect.any(Number) } },
    });
    expect(json((await s.ok(["endpoint", "get", "4m7x2k9q", "--json"])).stdout)).not.toHaveProperty(
      "activeWorkers",
    );
  });

  it("list --include-workers adds each endpoint's active workers", async () => {
    const list = await s.ok(["endpoint", "list", "--include-workers"]);
    expect(list.stdout.split("\n")[0]).toMatch(
      /^ID\s+NAME\s+TYPE\s+COMPUTE\s+WORKERS\s+CREATED\s+ACTIVE\s+RUNNING$/,
    );
    expect(list.sent.map((r) => r.path)).toEqual([
      "/v2/serverless",
      ...JSON.parse((await s.ok(["endpoint", "list", "--json"])).stdout).map(
        (e: Endpoint) => `/v2/serverless/${e.id}/workers`,
      ),
    ]);
    const [first] = JSON.parse(
      (await s.ok(["endpoint", "list", "--include-workers", "--json"])).stdout,
    );
    expect(first.activeWorkers.summary).toEqual(
      expect.objectContaining({ total: expect.any(Number) }),
    );
  });

  it("--include-template is refused: REST v2 endpoints keep no link to a template", async () => {
    for (const args of [
      ["endpoint", "get", "4m7x2k9q", "--include-template"],
      ["serverless", "list", "--include-template"],
    ]) {
      await s.usageError(
        args,
        "--include-template: REST v2 endpoints keep no link to a template",
        "`template get ID`",
      );
    }
  });

  it("create sends the defaults of before, and what the flags say", async () => {
    route({
      "POST /v2/serverless": (req) => {
        const body = req.body as Endpoint;
        const urls =
          body.type === "LOAD_BALANCER"
            ? { base: "https://ep-2.api.runpod.ai", health: "https://ep-2.api.runpod.ai/ping" }
            : undefined;
        return { status: 201, json: endpoint({ ...body, id: "ep-2", requestUrls: urls }) };
      },
    });
    const queue = await s.onFake([
      ...["endpoint", "create", "--name", "echo", "--template-id", "tpl-1"],
      ...["--gpu", "AMPERE_16, ADA_24", "--workers-min", "1", "--workers-max", "4"],
      ...["--flashboot", "--execution-timeout", "90", "--locations", "EU-RO-1,US-KS-2"],
    ]);
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.requests[0]?.body).toEqual({
      name: "echo",
      type: "QUEUE",
      templateId: "tpl-1",
      gpu: { pools: ["AMPERE_16", "ADA_24"], count: 1 },
      workers: { min: 1, max: 4, idleTimeout: 5 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      flashboot: "FLASHBOOT",
      timeout: 90_000,
      dataCenterIds: ["EU-RO-1", "US-KS-2"],
    });

    const lb = await s.onFake([
      ...["endpoint", "create", "--name", "lb", "--type", "LOAD_BALANCER", "--image", "me/lb:1"],
      ...["--cpu", "cpu5c:4", "--ports", "8000/http", "--env", "PORT=8000"],
    ]);
    expect(lb.code, lb.stderr).toBe(0);
    expect(lb.stdout).toBe(
      "Created LOAD_BALANCER endpoint lb (ep-2)\n\nbase    https://ep-2.api.runpod.ai\nhealth  https://ep-2.api.runpod.ai/ping\n",
    );
    expect(lb.requests[0]?.body).toEqual({
      name: "lb",
      type: "LOAD_BALANCER",
      image: "me/lb:1",
      cpu: [{ id: "cpu5c", vcpuCount: 4 }],
      workers: { min: 0, max: 3, idleTimeout: 5 },
      scaling: { type: "REQUEST_COUNT", requestCount: 4 },
      ports: ["8000/http"],
      env: { PORT: "8000" },
    });
    const lbJson = JSON.parse(
      (
        await s.onFake([
          "endpoint",
          "create",
          "--name",
          "lb",
          "--type",
          "LOAD_BALANCER",
          "--image",
          "i",
          "--json",
        ])
      ).stdout,
    );
    expect(lbJson.requestUrls).toEqual({
      base: "https://ep-2.api.runpod.ai",
      health: "https://ep-2.api.runpod.ai/ping",
    });

    // A queue endpoint scaling on requests has no idle timeout.
    const counted = await s.onFake([
      ...["endpoint", "create", "--name", "q", "--image", "me/q:1"],
      ...["--scaler", "REQUEST_COUNT", "--scaler-value", "2"],
    ]);
    expect(counted.requests[0]?.body).toMatchObject({
      workers: { min: 0, max: 3 },
      scaling: { type: "REQUEST_COUNT", requestCount: 2 },
    });
    expect(counted.requests[0]?.body).not.toHaveProperty("workers.idleTimeout");

    // --workers-min alone raises the default most workers (3) to it; a queue delay may be 0.5 s.
    const many = await s.onFake([
      ...["endpoint", "create", "--name", "q", "--image", "me/q:1", "--workers-min", "5"],
      ...["--scaler-value", "0.5"],
    ]);
    expect(many.code, many.stderr).toBe(0);
    expect(many.requests[0]?.body).toMatchObject({
      workers: { min: 5, max: 5, idleTimeout: 5 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 0.5 },
    });
  });

  it("a fractional queue delay and a raised most workers are valid for the document", async () => {
    const created = await s.ok([
      ...["endpoint", "create", "--name", "q", "--image", "me/q:1", "--workers-min", "4"],
      ...["--scaler", "QUEUE_DELAY", "--scaler-value", "1.5"],
    ]);
    expect(created.sent[0]?.body).toMatchObject({
      workers: { min: 4, max: 4 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 1.5 },
    });
    const updated = await s.ok([
      ...["endpoint", "update", "4m7x2k9q", "--scaler", "QUEUE_DELAY", "--scaler-value", ".5"],
    ]);
    expect(updated.sent[0]?.body).toEqual({ scaling: { type: "QUEUE_DELAY", queueDelay: 0.5 } });
  });

  it("update sends only what it is given", async () => {
    route({
      "PATCH /v2/serverless/ep-1": (req) => ({ json: endpoint(req.body as Partial<Endpoint>) }),
    });
    const r = await s.onFake([
      ...["endpoint", "update", "ep-1", "--workers-max", "0", "--no-flashboot"],
      ...["--image", "me/worker:2", "--scaler", "REQUEST_COUNT", "--scaler-value", "2"],
      ...["--env", "A=1", "--cuda", ""],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Updated endpoint echo \(ep-1\); workers move to the new release/);
    expect(r.requests[0]?.body).toEqual({
      image: "me/worker:2",
      gpu: { allowedCudaVersions: [] },
      workers: { max: 0 },
      flashboot: "OFF",
      env: { A: "1" },
      scaling: { type: "REQUEST_COUNT", requestCount: 2 },
    });
    // A new minimum above the endpoint's most workers (3 here) raises that too, read first.
    route({
      "GET /v2/serverless/ep-1": () => ({ json: endpoint({}) }),
      "PATCH /v2/serverless/ep-1": (req) => ({ json: endpoint(req.body as Partial<Endpoint>) }),
    });
    const lifted = await s.onFake(["endpoint", "update", "ep-1", "--workers-min", "4"]);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(lifted.requests.map((r) => [`${r.method} ${r.path}`, r.body])).toEqual([
      ["GET /v2/serverless/ep-1", undefined],
      ["PATCH /v2/serverless/ep-1", { workers: { min: 4, max: 4 } }],
    ]);
    const within = await s.onFake(["endpoint", "update", "ep-1", "--workers-min", "2"]);
    expect(within.requests.at(-1)?.body).toEqual({ workers: { min: 2 } });
    const renamed = await s.onFake(["endpoint", "update", "ep-1", "--name", "echo2", "--json"]);
    expect(renamed.requests[0]?.body).toEqual({ name: "echo2" });
    expect(json(renamed.stdout)).toMatchObject({ id: "ep-1", name: "echo2" });
  });

  it("an unknown endpoint is named; without a key, nothing is sent", async () => {
    route({});
    for (const args of [
      ["endpoint", "get", "ep-nope"],
      ["endpoint", "delete", "ep-nope"],
      ["endpoint", "update", "ep-nope", "--name", "x"],
    ]) {
      const missing = await s.onFake(args);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(
        'error: No endpoint "ep-nope" on this account; list your endpoints with `runpod-ts endpoint list`\n',
      );
    }
    const noKey = await s.onFake(["endpoint", "list"], { RUNPOD_API_KEY: "" });
    expect(noKey.code).toBe(1);
    expect(noKey.requests).toEqual([]);
    expect(noKey.stderr).toContain("No Runpod API key configured; set one with `runpod-ts config`");
  });

  it("validates flags before sending", async () => {
    const create = ["endpoint", "create", "--name", "x", "--template-id", "t"];
    await s.usageError(
      [...create, "--workers-min", "5", "--workers-max", "2"],
      "--workers-min: must not exceed --workers-max",
      "Usage: runpod-ts endpoint create",
    );
    await s.usageError(
      [...create, "--scaler-value", "0.2"],
      "--scaler-value: must be at least 0.5",
    );
    await s.usageError([...create, "--scaler-value", "fast"], "--scaler-value: must be a number");
    await s.usageError(
      [...create, "--type", "LOAD_BALANCER", "--scaler-value", "1.5"],
      "--scaler-value: REQUEST_COUNT scales on whole requests per worker",
    );
    await s.usageError(
      ["endpoint", "update", "ep-1", "--scaler", "REQUEST_COUNT", "--scaler-value", "2.5"],
      "--scaler-value: REQUEST_COUNT scales on whole requests per worker",
    );
    await s.usageError(
      [...create, "--scaler", "FAST"],
      "Allowed choices are QUEUE_DELAY, REQUEST_COUNT",
    );
    await s.usageError(
      [...create, "--type", "LOAD_BALANCER", "--scaler", "QUEUE_DELAY"],
      "--scaler: a LOAD_BALANCER endpoint scales on REQUEST_COUNT",
    );
    await s.usageError(
      [...create, "--scaler", "REQUEST_COUNT", "--idle-timeout", "5"],
      "--idle-timeout: a QUEUE endpoint scaling on REQUEST_COUNT has no idle timeout",
    );
    await s.usageError(
      [...create, "--gpu", "ADA_24", "--cpu", "cpu5c:4"],
      "--cpu: give --gpu or --cpu, not both",
    );
    await s.usageError(
      [...create, "--cpu", "cpu5c:3"],
      "--cpu: the vCPU count must be a power of two",
    );
    await s.usageError(
      [...create, "--cuda", "12.4", "--min-cuda", "12.1"],
      "--min-cuda: give --cuda (exact versions) or --min-cuda (a floor), not both",
    );
    await s.usageError(
      [...create, "--locations", "US,EU-RO-1"],
      "--locations: country codes have no REST v2 equivalent: give data center ids",
    );
    await s.usageError(
      ["endpoint", "create", "--name", "x"],
      "--template-id: give --template-id or --image",
    );
    await s.usageError(["endpoint", "update", "ep-1"], "nothing to change");
    await s.usageError(
      ["endpoint", "update", "ep-1", "--scaler", "QUEUE_DELAY"],
      "--scaler: give --scaler and --scaler-value together",
    );
  });
});
