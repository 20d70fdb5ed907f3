import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { problem, v2Pod } from "./pod-fixture.js";
import { API_KEY, useRestSession } from "./rest-session.js";

const rest = useRestSession();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
/** The pod of the document's examples, which Prism answers with. */
const POD = "7h9k2m4n6p";

describe("runpod-ts pod list and get", () => {
  it("list prints an aligned table, or the v2 records as JSON", async () => {
    const human = await rest.ok(["pod", "list"]);
    const [header, ...rows] = human.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+HARDWARE\s+\$\/H\s+STARTED\s+IMAGE$/);
    expect(rows).toEqual([
      expect.stringMatching(
        /^7h9k2m4n6p\s+pytorch-training\s+RUNNING\s+1 × NVIDIA GeForce RTX 4090\s+0\.440\s+2026-06-01\s+runpod\/pytorch:\S+$/,
      ),
    ]);
    expect(human.sent.map((r) => [r.method, r.path, r.query])).toEqual([["GET", "/v2/pods", {}]]);

    const data = await rest.ok(["pod", "list", "--json", "--include-cluster-pods"]);
    expect(JSON.parse(data.stdout)).toEqual([
      expect.objectContaining({ id: POD, status: "RUNNING" }),
    ]);
    expect(data.sent[0]?.query).toEqual({ includeClusterPods: "true" });
    expect(data.stderr).toBe("");
  });

  it("list filters by status, name and compute type", async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000 - 60_000).toISOString();
    const trainer = v2Pod("p-gpu", {
      name: "trainer",
      gpu: { id: "NVIDIA A40", count: 2 },
      startedAt: twoHoursAgo,
    });
    const { gpu: _, ...cpuPod } = v2Pod("p-cpu", {
      name: "box",
      status: "EXITED",
      startedAt: null,
    });
    const box = { ...cpuPod, cpu: { id: "cpu5c", vcpuCount: 4, memory: 8 } };
    rest.fake.handle(() => ({ json: { pods: [trainer, box] } }));
    const list = async (...args: string[]) => (await rest.onFake(["pod", "list", ...args])).stdout;

    const all = (await list()).trimEnd().split("\n");
    expect(all).toHaveLength(3);
    expect(all[1]).toMatch(
      /^p-gpu\s+trainer\s+RUNNING\s+2 × NVIDIA A40\s+0\.400\s+2 h ago\s+runpod\/base/,
    );
    expect(all[2]).toMatch(/^p-cpu\s+box\s+EXITED\s+CPU cpu5c \(4 vCPU\)\s+0\.400\s+-\s+/);
    // Columns line up: every row's NAME starts where the header's does.
    const at = all[0]?.indexOf("NAME");
    expect(all.slice(1).map((row) => row.slice(at).split(" ")[0])).toEqual(["trainer", "box"]);

    expect(await list("--status", "exited")).toMatch(/^ID.*\np-cpu .*\n$/);
    expect(await list("--status", "RUNNING,EXITED", "--compute-type", "GPU")).toMatch(
      /^ID.*\np-gpu .*\n$/,
    );
    expect(await list("--name", "TRAIN")).toMatch(/^ID.*\np-gpu .*\n$/);
    expect(await list("--name", "box", "--status", "RUNNING")).toBe(
      "None of your 2 pods matches.\n",
    );
    await rest.usageError(["pod", "list", "--status", "SLEEPING"], "--status", "use PROVISIONING");
  });

  it("get shows one pod with its ports and SSH route; an unknown id is a one-line error", async () => {
    const human = await rest.ok(["pod", "get", POD]);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+${POD}$`, "m"));
    expect(human.stdout).toMatch(/^Hardware\s+1 × NVIDIA GeForce RTX 4090$/m);
    expect(human.stdout).toMatch(/^Volume\s+20 GB at \/workspace$/m);
    expect(human.stdout).toMatch(/^Ports\s+195\.26\.233\.3:34446→22\/tcp$/m);
    expect(human.stdout).toMatch(/^SSH\s+ssh root@195\.26\.233\.3 -p 34446$/m);
    expect(json((await rest.ok(["pod", "get", POD, "--json"])).stdout)).toMatchObject({
      id: POD,
      gpu: { count: 1 },
    });

    rest.fake.handle(() => problem(404, "Not Found", "pod not found"));
    const missing = await rest.onFake(["pod", "get", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: No pod "nope" on this account; list your pods with `runpod-ts pod list`\n',
    );
  });
});

describe("runpod-ts pod stop, start (resume), restart, terminate (delete)", () => {
  it("each sends its v2 action and prints the pod's new status", async () => {
    const stop = await rest.ok(["pod", "stop", POD]);
    expect(stop.stdout).toMatch(
      new RegExp(
        `^Stopped pod ${POD} \\(\\w+\\); start it again with \`runpod-ts pod start ${POD}\`\n$`,
      ),
    );
    expect(stop.sent.map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", `/v2/pods/${POD}/action`, { action: "stop" }],
    ]);
    for (const [command, action, done] of [
      ["start", "start", "Started"],
      ["resume", "start", "Started"],
      ["restart", "restart", "Restarted"],
    ] as const) {
      const r = await rest.ok(["pod", command, POD]);
      expect(r.stdout).toMatch(new RegExp(`^${done} pod ${POD} \\(\\w+\\)\n$`));
      expect(r.sent[0]?.body).toEqual({ action });
    }
    const data = json((await rest.ok(["pod", "resume", POD, "--json"])).stdout);
    expect(data).toMatchObject({ id: POD, status: expect.any(String) });
  });

  it("terminate deletes the pod; delete is the same command", async () => {
    const human = await rest.ok(["pod", "terminate", POD]);
    expect(human.stdout).toBe(`Terminated pod ${POD}\n`);
    expect(human.sent.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v2/pods/${POD}`]);
    const data = await rest.ok(["pod", "delete", POD, "--json"]);
    expect(json(data.stdout)).toEqual({ id: POD, terminated: true });
  });

  it("an unknown pod, and an action its status does not allow, exit 1 with the reason", async () => {
    rest.fake.handle(() => problem(404, "Not Found", "pod not found"));
    const gone = await rest.onFake(["pod", "terminate", "gone"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(
      'error: No pod "gone" on this account; list your pods with `runpod-ts pod list`\n',
    );
    rest.fake.handle(() => problem(409, "Conflict", "pod is already running"));
    const running = await rest.onFake(["pod", "start", "p1"]);
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(/^error: Request failed \(HTTP 409\): .*pod is already running/);
  });

  it("resume --gpu-count is refused: v2 starts a pod with its own GPU count", async () => {
    await rest.usageError(
      ["pod", "resume", POD, "--gpu-count", "2"],
      "--gpu-count: REST v2 starts a pod with the GPU count it was created with",
    );
  });
});

describe("runpod-ts pod update", () => {
  it("sends a v2 PATCH of what is given, and nothing else", async () => {
    const r = await rest.ok([
      "pod",
      "update",
      POD,
      "--name",
      "renamed",
      "--image",
      "runpod/base:0.7.0",
      "--docker-args",
      "sleep 1",
      "--container-disk",
      "40",
      "--ports",
      "",
      "--registry-auth-id",
      "",
      "--lock",
      "--no-global-networking",
    ]);
    expect(r.sent.map((q) => [q.method, q.path, q.body])).toEqual([
      [
        "PATCH",
        `/v2/pods/${POD}`,
        {
          name: "renamed",
          image: "runpod/base:0.7.0",
          args: "sleep 1",
          disk: 40,
          ports: [],
          registry: null,
          locked: true,
          globalNetworking: false,
        },
      ],
    ]);
    expect(r.stdout).toBe(
      `Updated pod ${POD} (name, image, args, disk, ports, registry, locked, globalNetworking); global networking changes with the next start or restart\n`,
    );
  });

  it("--env adds to the pod's variables; --volume and --volume-path complete its own mount", async () => {
    const r = await rest.ok(["pod", "update", POD, "--env", "A=1", "--volume", "40", "--json"]);
    expect(r.sent.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET /v2/pods/${POD}`,
      `PATCH /v2/pods/${POD}`,
    ]);
    // The document's example pod has MODEL_NAME and a 20 GB volume at /workspace.
    expect(r.sent[1]?.body).toEqual({
      env: { MODEL_NAME: "llama-3", A: "1" },
      mounts: { persistent: { size: 40, path: "/workspace" } },
    });
    expect(json(r.stdout)).toMatchObject({ id: POD });
  });

  it("a network volume keeps its id and size; a pod without a volume gets none", async () => {
    const network = { network: [{ volumeId: "nv-1", path: "/runpod-volume" }] };
    rest.fake.handle((req) =>
      req.method === "GET" ? { json: v2Pod("p1", { mounts: network }) } : { json: v2Pod("p1") },
    );
    const moved = await rest.onFake(["pod", "update", "p1", "--volume-path", "/data"]);
    expect(moved.code).toBe(0);
    expect(moved.requests.at(-1)?.body).toEqual({
      mounts: { network: [{ volumeId: "nv-1", path: "/data" }] },
    });
    const grown = await rest.onFake(["pod", "update", "p1", "--volume", "50"]);
    expect(grown.code).toBe(1);
    expect(grown.stderr).toBe(
      "error: Pod p1 mounts network volume nv-1, whose size is the volume's; grow it with `runpod-ts network-volume update nv-1 --size GB`\n",
    );
    rest.fake.handle(() => ({ json: v2Pod("p1") }));
    const none = await rest.onFake(["pod", "update", "p1", "--volume", "50"]);
    expect(none.stderr).toBe(
      "error: Pod p1 was created without a volume, and REST v2 cannot add one; create a pod with --volume GB or --network-volume-id\n",
    );
    expect([...grown.requests, ...none.requests].map((q) => q.method)).toEqual(["GET", "GET"]);
  });

  it("nothing to change, or --lock with --unlock, is a usage error", async () => {
    await rest.usageError(["pod", "update", POD], "give at least one change");
    await rest.usageError(
      ["pod", "update", POD, "--lock", "--unlock"],
      "--lock: give --lock or --unlock",
    );
  });
});

describe("runpod-ts pod: the API key", () => {
  it("takes the key from --profile or --api-key; a rejected key is a one-line error", async () => {
    rest.fake.handle((req) =>
      req.headers.authorization === `Bearer ${API_KEY}`
        ? { json: { pods: [] } }
        : problem(401, "Unauthorized", "invalid bearer token"),
    );
    mkdirSync(join(rest.home, ".runpod"), { recursive: true });
    writeFileSync(join(rest.home, ".runpod", "config.toml"), `[work]\napi_key = "${API_KEY}"\n`);
    const byProfile = await rest.onFake(["pod", "list", "--profile", "work", "--json"], {
      RUNPOD_API_KEY: "",
    });
    expect(byProfile.code).toBe(0);
    expect(byProfile.stdout).toBe("[]\n");
    expect(byProfile.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    const wrong = "rpa_WRONGKEY0000000000000000000";
    const rejected = await rest.onFake(["pod", "list", "--api-key", wrong]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toBe(
      "error: Runpod rejected the API key (401 Unauthorized); check it with `runpod-ts config show` and set a valid one with `runpod-ts config`\n",
    );
    expect(rejected.stderr).not.toContain(wrong);
  });

  it("without an API key: exit 1 with the hint, and no request", async () => {
    const r = await rest.onFake(["pod", "list"], { RUNPOD_API_KEY: "" });
    expect(r.code).toBe(1);
    expect(r.requests).toEqual([]);
    expect(r.stderr).toBe(
      "error: No Runpod API key configured; set one with `runpod-ts config`, the RUNPOD_API_KEY environment variable, or --api-key\n",
    );
  });

  it("an unknown flag is a usage error and nothing is sent", async () => {
    await rest.usageError(
      ["pod", "list", "--bogus"],
      "unknown option '--bogus'",
      "Usage: runpod-ts pod list",
    );
  });
});

describe("runpod-ts pod create", () => {
  const RTX = "NVIDIA GeForce RTX 4090";

  it("maps every flag of a GPU pod onto the v2 create body, after checking the GPU type", async () => {
    const r = await rest.ok([
      "pod",
      "create",
      "--name",
      "trainer",
      "--image",
      "runpod/base:0.6.2",
      "--gpu",
      RTX,
      "--gpu-count",
      "2",
      "--cloud-type",
      "COMMUNITY",
      "--data-center-id",
      "EU-RO-1,US-KS-2",
      "--volume",
      "20",
      "--volume-path",
      "/workspace",
      "--container-disk",
      "30",
      "--ports",
      "8888/http,22/tcp",
      "--env",
      "A=1",
      "--env",
      "B=x=y",
      "--docker-args",
      "sleep infinity",
      "--cuda",
      "12.4,12.8",
      "--registry-auth-id",
      "reg-1",
      "--global-networking",
      "--jupyter",
    ]);
    expect(r.stdout).toMatch(
      new RegExp(`^Created 2 × ${RTX} pod ${POD}\\nStatus\\s+PROVISIONING\\n`),
    );
    expect(r.stdout).toContain(`connect with \`runpod-ts pod ssh ${POD}\``);
    expect(r.sent.map((q) => `${q.method} ${q.path}`)).toEqual([
      "GET /v2/catalog/gpus/NVIDIA%20GeForce%20RTX%204090",
      "POST /v2/pods",
    ]);
    expect(r.sent[1]?.body).toEqual({
      name: "trainer",
      image: "runpod/base:0.6.2",
      gpu: { id: RTX, count: 2, allowedCudaVersions: ["12.4", "12.8"] },
      cloud: "COMMUNITY",
      dataCenterIds: ["EU-RO-1", "US-KS-2"],
      mounts: { persistent: { size: 20, path: "/workspace" } },
      disk: 30,
      ports: ["8888/http", "22/tcp"],
      env: { A: "1", B: "x=y" },
      args: "sleep infinity",
      registry: "reg-1",
      globalNetworking: true,
      startSsh: true,
      startJupyter: true,
    });
  });

  it("a CPU pod: its instance, a network volume in that volume's data center, --no-ssh", async () => {
    const r = await rest.ok([
      "pod",
      "create",
      "--name",
      "box",
      "--image",
      "ubuntu:24.04",
      "--instance-id",
      "cpu5c-4-8",
      "--network-volume-id",
      "2q9m7x4c",
      "--no-ssh",
      "--json",
    ]);
    expect(json(r.stdout)).toMatchObject({ id: POD, status: "PROVISIONING" });
    expect(r.sent.map((q) => `${q.method} ${q.path}`)).toEqual([
      "GET /v2/network-volumes/2q9m7x4c",
      "POST /v2/pods",
    ]);
    expect(r.sent[1]?.body).toEqual({
      name: "box",
      image: "ubuntu:24.04",
      cpu: { id: "cpu5c", vcpuCount: 4 },
      // The volume's own data center (the document's example volume is in US-KS-2).
      dataCenterIds: ["US-KS-2"],
      mounts: { network: [{ volumeId: "2q9m7x4c", path: "/runpod-volume" }] },
      disk: 10,
      startSsh: false,
    });
  });

  it("sends only what was given: a template's pod, a default CPU pod, a CUDA floor", async () => {
    const template = await rest.ok([
      "pod",
      "create",
      "--template-id",
      "tpl-1",
      "--gpu",
      RTX,
      "--min-cuda",
      "12.1",
    ]);
    expect(template.sent.at(-1)?.body).toEqual({
      name: "runpod-ts-pod",
      templateId: "tpl-1",
      gpu: { id: RTX, count: 1, minCudaVersion: "12.1" },
      startSsh: true,
    });
    const cpu = await rest.ok(["pod", "create", "--image", "ubuntu:24.04"]);
    expect(cpu.stdout).toMatch(new RegExp(`^Created CPU pod ${POD}\\n`));
    expect(cpu.sent.map((q) => q.body)).toEqual([
      {
        name: "runpod-ts-pod",
        image: "ubuntu:24.04",
        cpu: { id: "cpu3c", vcpuCount: 2 },
        disk: 10,
        startSsh: true,
      },
    ]);
  });

  it("an unknown GPU type or network volume is reported and nothing is deployed", async () => {
    rest.fake.handle(() => problem(404, "Not Found", "not found"));
    const gpu = await rest.onFake(["pod", "create", "--image", "x", "--gpu", "NVIDIA Z9000"]);
    expect(gpu.code).toBe(1);
    expect(gpu.stderr).toBe(
      'error: Unknown GPU type "NVIDIA Z9000"; list the ids with `runpod-ts gpu list`\n',
    );
    const volume = await rest.onFake([
      "pod",
      "create",
      "--image",
      "x",
      "--network-volume-id",
      "nv-x",
    ]);
    expect(volume.stderr).toBe(
      'error: No network volume "nv-x" on this account; list them with `runpod-ts network-volume list`\n',
    );
    expect([...gpu.requests, ...volume.requests].map((q) => q.method)).toEqual(["GET", "GET"]);
  });

  it("bad flag values are usage errors (exit 2, with help) and nothing is sent", async () => {
    await rest.usageError(
      ["pod", "create", "--gpu-count", "0", "--env", "oops"],
      "--gpu-count: must be at least 1",
      "--env: use KEY=VALUE",
      "--image: give an image, or a template with --template-id",
      "Usage: runpod-ts pod create",
    );
    await rest.usageError(
      ["pod", "create", "--image", "x", "--cuda", "12.4", "--volume", "20"],
      "--cuda: CUDA constraints apply to GPU pods only; add --gpu",
      "--volume: CPU pods have no persistent volume; attach a network volume with --network-volume-id",
    );
    await rest.usageError(
      [
        "pod",
        "create",
        "--image",
        "x",
        "--gpu",
        RTX,
        "--cuda",
        "12.4",
        "--min-cuda",
        "12.1",
        "--volume",
        "5",
      ],
      "--cuda: give exact versions (--cuda) or a minimum (--min-cuda), not both",
      "--volume: must be 0 (none) or at least 10",
    );
    await rest.usageError(
      ["pod", "create", "--image", "x", "--instance-id", "cpu3c-3-6"],
      "--instance-id: the vCPU count must be a power of two, at least 2",
    );
  });

  it("GraphQL-only flags are refused with what REST v2 offers instead", async () => {
    await rest.usageError(
      [
        "pod",
        "create",
        "--image",
        "x",
        "--gpu",
        RTX,
        "--cloud-type",
        "ALL",
        "--no-public-ip",
        "--country-code",
        "US",
      ],
      "--cloud-type: REST v2 places a pod in one cloud (GraphQL's ALL is gone): give SECURE (the default) or COMMUNITY",
      "--public-ip: REST v2 can neither require nor refuse a public IP; drop --no-public-ip",
      "--country-code: REST v2 places pods by data center, not country; give that country's data centers with --data-center-id",
    );
    await rest.usageError(
      [
        "pod",
        "create",
        "--image",
        "x",
        "--gpu",
        RTX,
        "--min-vcpu",
        "8",
        "--min-memory",
        "32",
        "--min-download",
        "100",
        "--min-upload",
        "100",
      ],
      "--min-vcpu: REST v2 sets no vCPU minimum on GPU pods",
      "--min-memory: REST v2 sets no memory minimum on GPU pods",
      "--min-download: REST v2 cannot ask for a network speed",
      "--min-upload: REST v2 cannot ask for a network speed",
    );
    const help = await rest.run(["pod", "create", "--help"]);
    expect(help.stdout).not.toMatch(/--min-vcpu|--country-code|--public-ip/);
  });
});

describe("runpod-ts gpu", () => {
  const RTX = "NVIDIA GeForce RTX 4090";

  it("list prints memory, prices per GPU and pod stock; --json the catalog's records", async () => {
    const human = await rest.ok(["gpu", "list"]);
    const [header, row] = human.stdout.split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+MEMORY\s+SECURE \$\/H\s+COMMUNITY \$\/H\s+STOCK$/);
    expect(row).toMatch(
      /^NVIDIA GeForce RTX 4090\s+RTX 4090\s+24 GB\s+\$0\.440\/h\s+\$0\.310\/h\s+HIGH$/,
    );
    expect(human.sent.map((r) => [r.method, r.path, r.query])).toEqual([
      ["GET", "/v2/catalog/gpus", { include: "AVAILABILITY", product: "POD", count: "1" }],
    ]);

    const data = await rest.ok([
      "gpu",
      "list",
      "--gpu-count",
      "2",
      "--cloud",
      "COMMUNITY",
      "--json",
    ]);
    expect(JSON.parse(data.stdout)).toEqual([expect.objectContaining({ id: RTX, memory: 24 })]);
    expect(data.sent[0]?.query).toMatchObject({ count: "2", cloud: "COMMUNITY" });
  });

  it("list --available leaves out the types without stock", async () => {
    const gpu = (id: string, availability: string) => ({
      id,
      name: id,
      pool: null,
      manufacturer: "NVIDIA",
      memory: 48,
      secure: true,
      community: false,
      price: { secure: 0.5, community: 0 },
      maxCount: { secure: 8, community: 0 },
      availability,
    });
    rest.fake.handle(() => ({
      json: { gpus: [gpu("NVIDIA A40", "NONE"), gpu("NVIDIA L40", "LOW")] },
    }));
    const run = (...args: string[]) =>
      rest.run(["gpu", "list", ...args], { baseUrl: rest.fake.url });
    const all = await run();
    expect(all.stdout).toMatch(/^NVIDIA A40\s+NVIDIA A40\s+48 GB\s+\$0\.500\/h\s+-\s+NONE$/m);
    const available = await run("--available");
    expect(available.stdout).not.toContain("A40");
    expect(available.stdout).toMatch(/^NVIDIA L40 .* LOW$/m);
    rest.fake.handle(() => ({ json: { gpus: [gpu("NVIDIA A40", "NONE")] } }));
    expect((await run("--available")).stdout).toBe("No GPU type is in stock for such a pod now.\n");
  });

  it("get shows prices for --gpu-count GPUs and stock per data center; an unknown id exits 1", async () => {
    const human = await rest.ok(["gpu", "get", RTX, "--gpu-count", "2"]);
    expect(human.stdout).toMatch(/^Secure cloud \(2 GPUs\)\s+\$0\.880\/h$/m);
    expect(human.stdout).toMatch(/^Community cloud \(2 GPUs\)\s+\$0\.620\/h$/m);
    expect(human.stdout).toMatch(/^Stock \(2 GPU, SECURE\)\s+HIGH$/m);
    expect(human.stdout).toMatch(/^Data centers\s+US-KS-2 HIGH$/m);
    expect(human.sent[0]?.path).toBe("/v2/catalog/gpus/NVIDIA%20GeForce%20RTX%204090");
    const data = JSON.parse((await rest.ok(["gpu", "get", RTX, "--json"])).stdout);
    expect(data).toMatchObject({ id: RTX, price: { secure: 0.44 }, availability: "HIGH" });

    rest.fake.handle(() => problem(404, "Not Found", "gpu type not found"));
    const missing = await rest.run(["gpu", "get", "NVIDIA Z9000"], { baseUrl: rest.fake.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: No GPU type "NVIDIA Z9000"; list the ids with `runpod-ts gpu list`\n',
    );
  });

  it("bad flag values are usage errors and nothing is sent", async () => {
    await rest.usageError(
      ["gpu", "get", RTX, "--gpu-count", "0"],
      "--gpu-count: must be at least 1",
    );
    await rest.usageError(["gpu", "list", "--cloud", "ALL"], "--cloud", "SECURE, COMMUNITY");
  });
});
