/** createLocalPlatform's options, handle, close() and the worker env formatter. */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { RunpodError, ValidationError } from "../../src/core/errors.js";
import { formatWorkerEnv } from "../../src/protocol/webhook-env.js";
import { createLocalPlatform } from "../../src/serverless/index.js";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";

describe("createLocalPlatform", () => {
  it("validates options and names the bad one", async () => {
    await expect(createLocalPlatform({ port: 70_000 })).rejects.toThrow(ValidationError);
    await expect(createLocalPlatform({ port: 70_000 })).rejects.toThrow(
      "Invalid createLocalPlatform options: port: must be <= 65535",
    );
    await expect(createLocalPlatform({ endpointId: "a/b" })).rejects.toThrow(/endpointId/);
    await expect(
      createLocalPlatform({ longPollMs: 0, apiKey: "" } as Parameters<
        typeof createLocalPlatform
      >[0]),
    ).rejects.toThrow(/apiKey: length must be >= 1; longPollMs: must be >= 1/);
    await expect(
      createLocalPlatform({ colour: "red" } as unknown as Parameters<
        typeof createLocalPlatform
      >[0]),
    ).rejects.toThrow('unknown option "colour"');
  });

  it("reports a port that is taken as a RunpodError", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const { port } = blocker.address() as AddressInfo;
    try {
      const failure = createLocalPlatform({ port });
      await expect(failure).rejects.toThrow(RunpodError);
      await expect(failure).rejects.toThrow(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });

  it("describes itself: url, endpoint URL, port, and the worker environment", async () => {
    const p = await startPlatform({ endpointId: "ep-1" });
    expect(p.url).toBe(`http://127.0.0.1:${p.port}`);
    expect(p.endpointUrl).toBe(`${p.url}/v2/ep-1`);
    expect(p.host).toBe("127.0.0.1");
    expect(p.workerEnv("pod-9")).toEqual({
      RUNPOD_WEBHOOK_GET_JOB: `${p.url}/v2/ep-1/job-take/$ID?gpu=local`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${p.url}/v2/ep-1/job-done/$RUNPOD_POD_ID/$ID?gpu=local`,
      RUNPOD_WEBHOOK_POST_STREAM: `${p.url}/v2/ep-1/job-stream/$RUNPOD_POD_ID/$ID?gpu=local`,
      RUNPOD_WEBHOOK_PING: `${p.url}/v2/ep-1/ping/$RUNPOD_POD_ID?gpu=local`,
      RUNPOD_POD_ID: "pod-9",
      RUNPOD_AI_API_KEY: "local",
    });
    expect(p.workerEnv().RUNPOD_POD_ID).toBe("local-worker");
  });

  it("close() releases every held request at once and is idempotent", async () => {
    const p = await createLocalPlatform({ port: 0, longPollMs: 600_000, streamWaitMs: 600_000 });
    const api = client(p);
    const { id } = (await api.post("/run", { input: {} })).json;
    const worker = workerFor(p);
    await worker.take();
    const untilHeld = async (n: number) => {
      while (p.heldRequests() < n) await new Promise((r) => setImmediate(r));
    };
    const held = [api.post("/runsync?wait=300000", { input: {} }).then((r) => r.json.status)];
    await untilHeld(1);
    await worker.take(); // the runsync job is running, the queue is empty
    held.push(
      api.get(`/status-sync/${id}?wait=300000`).then((r) => r.json.status),
      api.get(`/stream/${id}`).then((r) => r.json.status),
      fetch(`${p.endpointUrl}/job-stop/w1`).then((r) => r.status),
      fetch(`${p.endpointUrl}/job-take/w2`).then((r) => r.status),
    );
    await untilHeld(5);
    await Promise.all([p.close(), p.close()]);
    // Hold times are ten minutes: only close() can have answered these.
    expect(await Promise.all(held)).toEqual([
      "IN_PROGRESS",
      "IN_PROGRESS",
      "IN_PROGRESS",
      204,
      204,
    ]);
    await expect(fetch(`${p.url}/health`)).rejects.toThrow();
  });

  it("leaves no timer that keeps the process alive after close()", async () => {
    // A child process with long TTLs, a pending webhook retry and held polls must exit by itself.
    const script = `
      const { createLocalPlatform } = await import(${JSON.stringify(new URL("../../src/serverless/index.ts", import.meta.url).href)});
      const p = await createLocalPlatform({ port: 0, webhookRetryDelayMs: 600000 });
      const post = (path, body) => fetch(p.endpointUrl + path, { method: "POST", body: JSON.stringify(body) });
      await post("/run", { input: {}, webhook: "http://127.0.0.1:9/unreachable" });
      const take = await fetch(p.endpointUrl + "/job-take/w").then((r) => r.json());
      await post("/job-done/w/" + take.id, { output: 1 });
      await post("/run", { input: {} });
      void fetch(p.endpointUrl + "/job-stop/w").catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      await p.close();
      console.log("closed");
    `;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          [
            "--import",
            "tsx",
            "--input-type=module",
            "-e",
            `globalThis.__RUNPOD_TS_VERSION__ = "0";${script}`,
          ],
          { timeout: 20_000 },
          (error, out) =>
            resolve({ code: error ? ((error.code as number | null) ?? 1) : 0, stdout: out }),
        );
        child.stdin?.end();
      },
    );
    expect(stdout.trim()).toBe("closed");
    expect(code).toBe(0);
  });
});

describe("formatWorkerEnv", () => {
  const env = {
    RUNPOD_WEBHOOK_GET_JOB: "http://127.0.0.1:8000/v2/local/job-take/$ID?gpu=local",
    RUNPOD_POD_ID: "it's",
    RUNPOD_AI_API_KEY: "real-key",
  };

  it("prints shell export lines, single-quoted, with the API key masked", () => {
    expect(formatWorkerEnv(env)).toBe(
      [
        "export RUNPOD_WEBHOOK_GET_JOB='http://127.0.0.1:8000/v2/local/job-take/$ID?gpu=local'",
        "export RUNPOD_POD_ID='it'\\''s'",
        "export RUNPOD_AI_API_KEY='<api key>'",
      ].join("\n"),
    );
  });

  it("reveals the key and drops the prefix on request", () => {
    expect(formatWorkerEnv(env, { revealApiKey: true, exportPrefix: false }).split("\n")[2]).toBe(
      "RUNPOD_AI_API_KEY='real-key'",
    );
  });
});

describe("argument checks", () => {
  it("workerEnv refuses ids that would need escaping in a URL path", async () => {
    const p = await startPlatform();
    expect(() => p.workerEnv("a/b")).toThrow(ValidationError);
    expect(() => p.workerEnv("a/b")).toThrow(
      "Invalid workerEnv workerId: letters, digits, . _ - only",
    );
  });

  it("formatWorkerEnv refuses values that are not strings and unknown options", () => {
    expect(() => formatWorkerEnv({ A: 1 } as unknown as Record<string, string>)).toThrow(
      ValidationError,
    );
    expect(() =>
      formatWorkerEnv({}, { reveal: true } as unknown as Parameters<typeof formatWorkerEnv>[1]),
    ).toThrow(/formatWorkerEnv arguments/);
    // Issue paths name the argument by its index, then the key.
    const issues = (...args: unknown[]) => {
      try {
        (formatWorkerEnv as (...a: unknown[]) => string)(...args);
      } catch (e) {
        return (e as ValidationError).issues;
      }
      return [];
    };
    expect(issues({ KEY: 1 }, { revealApiKey: "yes" })).toEqual([
      { path: [0, "KEY"], message: "expected string" },
      { path: [1, "revealApiKey"], message: "expected boolean" },
    ]);
    expect(issues(undefined)).toEqual([{ path: [0], message: "expected record" }]);
    expect(issues({}, { reveal: true })).toEqual([
      { path: [1], message: 'unknown option "reveal"' },
    ]);
  });
});
