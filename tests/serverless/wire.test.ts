/** The production loop on the wire (§A.3, §A.4, §A.13): URLs, headers and body bytes as the Python trace. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakePlatform } from "../helpers/fake-platform.js";
import { runWorker } from "../helpers/in-process-worker.js";

let fake: FakePlatform;
beforeEach(async () => {
  fake = await FakePlatform.start();
});
afterEach(async () => {
  await fake.close();
});

const GPU = "gpu=NVIDIA+H100+80GB+HBM3";

describe("take → run → done", () => {
  it("sends exactly what the Python worker sends", async () => {
    const w = runWorker(fake, { handler: (job) => ({ echo: job.input }) });
    fake.enqueue({ id: "job-000001", input: { x: 1 } });
    const done = await fake.waitFor((r) => r.route === "job-done");
    expect(await w.stop()).toBe(0);

    const take = fake.of("job-take")[0]!;
    expect(take.method).toBe("GET");
    expect(take.path).toBe("/v2/fake-ep/job-take/fake-worker-1");
    expect(take.query).toBe(`${GPU}&job_in_progress=0`);
    expect(take.headers.authorization).toBe("fake-api-key");
    expect(take.headers["content-type"]).toBe("application/json");
    expect(take.headers["user-agent"]).toMatch(/^runpod-ts\/\S+ \(.+\) Language\/Node /);

    expect(done.method).toBe("POST");
    expect(done.path).toBe("/v2/fake-ep/job-done/fake-worker-1/job-000001");
    expect(done.query).toBe(`${GPU}&isStream=false`);
    expect(done.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(done.headers.charset).toBe("utf-8");
    expect(done.headers["x-request-id"]).toBe("job-000001");
    expect(done.headers.authorization).toBe("fake-api-key");
    expect(done.body).toBe('{"output": {"echo": {"x": 1}}}');
    expect(done.headers["content-length"]).toBe("30");
    expect(w.logs).toContain("INFO   | job-000001 | Started.");
    expect(w.logs).toContain("INFO   | job-000001 | Finished.");
  });

  it("writes non-ASCII raw as UTF-8 and maps the §A.4 table", async () => {
    const outputs: Record<string, unknown> = {
      a: { text: "héllo ✓" },
      b: {},
      c: { error: "bad", partial: 1 },
      d: { error: "only" },
      e: { refresh_worker: true, v: 1 },
      f: "plain",
      g: undefined,
      h: { error: "", v: 2 },
      i: [1, "two", null],
      j: { output: 5 },
    };
    const w = runWorker(fake, { handler: (job) => outputs[job.input as string] });
    const ids = Object.keys(outputs);
    fake.enqueue(...ids.map((id) => ({ id, input: id })));
    await fake.waitForCount((r) => r.route === "job-done", ids.length);
    await w.stop();
    const body = (id: string) => fake.of("job-done").find((r) => r.jobId === id)?.body;
    expect(body("a")).toBe('{"output": {"text": "héllo ✓"}}');
    expect(fake.of("job-done").find((r) => r.jobId === "a")?.bodyBytes.length).toBe(
      Buffer.byteLength('{"output": {"text": "héllo ✓"}}'),
    );
    expect(body("b")).toBe("{}");
    expect(body("c")).toBe('{"output": {"partial": 1}, "error": "bad"}');
    expect(body("d")).toBe('{"error": "only"}');
    expect(body("e")).toBe('{"output": {"v": 1}, "stopPod": true}');
    expect(body("f")).toBe('{"output": "plain"}');
    expect(body("g")).toBe('{"output": null}');
    expect(body("h")).toBe('{"output": {"v": 2}}');
    expect(body("i")).toBe('{"output": [1, "two", null]}');
    expect(body("j")).toBe('{"output": {"output": 5}}');
  });

  it("reports a thrown error as the JSON error string", async () => {
    const w = runWorker(fake, {
      handler: (job) => {
        throw new RangeError(`boom on ${String(job.input)} é`);
      },
    });
    fake.enqueue({ id: "j1", input: "x" });
    const done = await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
    const outer = JSON.parse(done.body) as { error: string };
    expect(Object.keys(outer)).toEqual(["error"]);
    // ASCII-escaped, Python separators, keys in wire order.
    expect(outer.error).toMatch(
      /^\{"error_type": "RangeError", "error_message": "boom on x \\u00e9", "error_traceback": "RangeError: boom on x \\u00e9\\n {4}at /,
    );
    const inner = JSON.parse(outer.error) as Record<string, string>;
    expect(Object.keys(inner)).toEqual([
      "error_type",
      "error_message",
      "error_traceback",
      "hostname",
      "worker_id",
      "runpod_version",
    ]);
    expect(inner.hostname).toBe("fake-worker-1-host");
    expect(inner.worker_id).toBe("fake-worker-1");
    expect(w.logs.some((l) => l.includes("Captured Handler Exception"))).toBe(true);
  });

  it("asks for a batch when more than one slot is free, with job_in_progress", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const w = runWorker(fake, { concurrency: 3, handler: async () => gate });
    const first = await fake.waitFor((r) => r.route === "job-take-batch");
    expect(first.query).toBe(`${GPU}&batch_size=3&job_in_progress=0`);
    fake.enqueue({ id: "a", input: 1 });
    await fake.waitFor((r) => r.route === "job-take-batch" && r.query.includes("batch_size=2"));
    const busy = await fake.waitFor(
      (r) =>
        r.route === "job-take-batch" && r.seq > first.seq && r.query.endsWith("job_in_progress=1"),
    );
    expect(busy.query).toBe(`${GPU}&batch_size=2&job_in_progress=1`);
    release();
    await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
  });
});

describe("job-take failures", () => {
  it("backs off under doubling ceilings (full jitter) on 5xx and invalid jobs, then resets and runs the job", async () => {
    const script = [
      { status: 500, body: "oops" },
      { status: 503 },
      { status: 200, body: '{"id": "no-input"}', type: "application/json" },
      { status: 200, body: "<html>", type: "text/html" },
      { status: 400 },
    ];
    fake.takeOverride = () => script.shift();
    const w = runWorker(fake, { handler: () => "ok" });
    await fake.waitForCount((r) => r.route === "job-take", script.length + 1);
    fake.enqueue({ id: "after", input: null });
    await fake.waitFor((r) => r.route === "job-done");
    await w.stop();
    const delays = w.logs
      .filter((l) => l.startsWith("ERROR  | Failed to get job."))
      .map((l) => Number(/retrying in (\d+) ms/.exec(l)?.[1]));
    expect(delays).toHaveLength(3);
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(200 * 2 ** i);
    });
    expect(w.logs.some((l) => l.includes("Error Type: HTTP 500"))).toBe(true);
    expect(
      w.logs.some((l) =>
        l.includes("Error Type: InvalidJob | Error Message: job object lacks id or input"),
      ),
    ).toBe(true);
  });

  it("waits at least Retry-After after a 429", async () => {
    const script = [{ status: 429, retryAfter: "0.4" }];
    fake.takeOverride = () => script.shift();
    const w = runWorker(fake, { handler: () => "ok" });
    await fake.waitForCount((r) => r.route === "job-take", 2);
    await w.stop();
    const line = w.logs.find((l) => l.includes("Error Type: HTTP 429"));
    expect(Number(/retrying in (\d+) ms/.exec(line ?? "")?.[1])).toBeGreaterThanOrEqual(400);
  });
});

describe("heartbeat", () => {
  it("pings idle without job_id, retries a failed ping 3 times, logs it and keeps going", async () => {
    fake.pingStatus = 503;
    const w = runWorker(fake, { handler: () => 1 }, { RUNPOD_PING_INTERVAL: "50" });
    await fake.until(() => w.logs.some((l) => l.includes("Ping Request Error: HTTP 503")));
    // One ping and its 3 retries were answered before the first error was logged.
    expect(fake.of("ping").filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(4);
    const pings = await fake.waitForCount((r) => r.route === "ping" && r.status === 503, 5);
    await w.stop();
    expect(pings[0]?.query).toMatch(/^runpod_version=\d+\.\d+\.\d+$/);
    expect(pings[0]?.headers.authorization).toBe("fake-api-key");
    expect(w.logs).toContain("ERROR  | Ping Request Error: HTTP 503, continuing to ping.");
  });

  it("is not started without RUNPOD_POD_ID", async () => {
    const w = runWorker(
      fake,
      { handler: () => 1 },
      { RUNPOD_POD_ID: "", RUNPOD_PING_INTERVAL: "50" },
    );
    await fake.waitForCount((r) => r.route === "job-take", 3);
    await w.stop();
    expect(fake.of("ping")).toEqual([]);
    expect(w.logs.some((l) => l.includes("Heartbeat not started"))).toBe(true);
  });
});
