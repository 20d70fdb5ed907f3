/** Mode selection, the one-shot test mode (§A.11.1), flags, options validation, env and log format. */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInThisContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { pingIntervalMs, readWorkerEnv, resolveOptions } from "../../src/serverless/config.js";
import { parseWorkerFlags } from "../../src/serverless/flags.js";
import { serverless } from "../../src/serverless/index.js";
import {
  JobIdMirror,
  MIRROR_BYTES,
  READ_MIRROR_SOURCE,
} from "../../src/serverless/job-id-mirror.js";

/** The reader the heartbeat thread evaluates, evaluated the same way. */
const readMirror = runInThisContext(`(${READ_MIRROR_SOURCE})`) as (
  buffer: SharedArrayBuffer,
) => string;

import { parseLogLevel, truncateMessage, WorkerLog } from "../../src/serverless/log.js";
import { selectMode } from "../../src/serverless/start.js";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process.js";

let proc: WorkerProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  proc?.kill();
  proc = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("one-shot test mode", () => {
  it("runs --test_input once and exits 0 with the result", async () => {
    proc = spawnWorker("echo.ts", {}, ["--test_input", '{"input": {"x": "é"}}']);
    expect((await proc.exited).code).toBe(0);
    expect(proc.lines).toContain("INFO   | local_test | Started.");
    expect(proc.lines).toContain("INFO   | Job local_test completed successfully.");
    expect(proc.lines).toContain('INFO   | Job result: {"output": {"echo": {"x": "é"}}}');
    expect(proc.lines).toContain("INFO   | Local testing complete, exiting.");
  });

  it("exits 1 when the handler fails, the input is missing, or there is no test input", async () => {
    proc = spawnWorker("echo.ts", {}, ['--test_input={"id": "t1", "input": {"fail": "nope"}}']);
    expect((await proc.exited).code).toBe(1);
    expect(
      proc.lines.some((l) =>
        l.startsWith(
          'ERROR  | Job t1 failed with error: {"error_type": "Error", "error_message": "nope"',
        ),
      ),
    ).toBe(true);

    proc = spawnWorker("echo.ts", {}, ["--test_input", '{"input": null}']);
    expect((await proc.exited).code).toBe(1);
    expect(proc.lines).toContain("ERROR  | Job has no input parameter. Unable to run.");

    dir = mkdtempSync(join(tmpdir(), "runpod-test-input-"));
    proc = spawnWorker("echo.ts", {}, [], dir);
    expect((await proc.exited).code).toBe(1);
    expect(proc.lines).toContain("WARN   | test_input.json not found, exiting.");
  });

  it("a malformed --test_input or the unsupported --rp_debugger: one line naming the flag, exit 1", async () => {
    proc = spawnWorker("echo.ts", {}, ["--test_input", "{bad"]);
    expect((await proc.exited).code).toBe(1);
    expect(proc.lines).toHaveLength(1);
    expect(proc.lines[0]).toMatch(
      /^error: Invalid command-line flag --test_input: not valid JSON \(.+\)$/,
    );

    proc = spawnWorker("echo.ts", {}, ["--rp_debugger", "--test_input", '{"input": 1}']);
    expect((await proc.exited).code).toBe(1);
    expect(proc.lines).toEqual([
      expect.stringMatching(/^error: Invalid command-line flag --rp_debugger: not supported/),
    ]);
  });

  it("refuses a second start() in the same process", async () => {
    proc = spawnWorker("double-start.ts", {}, ["--test_input", '{"input": 1}']);
    expect((await proc.exited).code).toBe(0);
    expect(proc.lines).toContain(
      "second start: RunpodError: serverless.start() was already called in this process",
    );
    expect(proc.lines).toContain('INFO   | Job result: {"output": "first"}');
  });

  it("reads test_input.json from the working directory when the platform env is absent", async () => {
    dir = mkdtempSync(join(tmpdir(), "runpod-test-input-"));
    writeFileSync(join(dir, "test_input.json"), '{"id": "file", "input": [1, 2]}');
    proc = spawnWorker("echo.ts", {}, [], dir);
    expect((await proc.exited).code).toBe(0);
    expect(proc.lines).toContain('INFO   | Job result: {"output": {"echo": [1, 2]}}');
  });
});

describe("mode selection and flags", () => {
  it("picks serve-api, then test input, then production", () => {
    const prod = { RUNPOD_WEBHOOK_GET_JOB: "http://h/job-take/$ID" };
    expect(selectMode(parseWorkerFlags(["--rp_serve_api"]), prod)).toBe("serve-api");
    expect(selectMode(parseWorkerFlags(["--test_input", "{}"]), prod)).toBe("test-input");
    expect(selectMode(parseWorkerFlags([]), {})).toBe("test-input");
    expect(selectMode(parseWorkerFlags(["--other", "x"]), prod)).toBe("production");
  });

  it("parses every flag and rejects bad values with a ValidationError naming the flag", () => {
    expect(
      parseWorkerFlags([
        "--rp_serve_api",
        "--rp_api_port=9000",
        "--rp_api_host",
        "0.0.0.0",
        "--rp_api_concurrency",
        "4",
        "--rp_log_level",
        "warn",
      ]),
    ).toEqual({
      serveApi: true,
      dashboard: true,
      apiPort: 9000,
      apiHost: "0.0.0.0",
      apiConcurrency: 4,
      logLevel: "warn",
    });
    expect(parseWorkerFlags([])).toEqual({
      serveApi: false,
      dashboard: true,
      apiPort: 8000,
      apiHost: "127.0.0.1",
    });
    expect(() => parseWorkerFlags(["--test_input", "{bad"])).toThrow(
      /--test_input.*not valid JSON/,
    );
    expect(() => parseWorkerFlags(["--rp_api_port", "http"])).toThrow(ValidationError);
    expect(() => parseWorkerFlags(["--rp_api_concurrency", "0"])).toThrow(/--rp_api_concurrency/);
  });
});

describe("options and environment", () => {
  it("rejects bad start() options with a ValidationError naming the option", () => {
    expect(() => serverless.start({} as never)).toThrow(/handler/);
    expect(() => serverless.start(null as never)).toThrow(ValidationError);
    const bad = (o: object, name: string) => {
      let error: unknown;
      try {
        resolveOptions({ handler: () => 1, ...o }, {});
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toEqual([name]);
    };
    bad({ concurrency: 0 }, "concurrency");
    bad({ concurrency: 1.5 }, "concurrency");
    bad({ timeoutMs: -1 }, "timeoutMs");
    bad({ inputSchema: { parse: () => 1 } }, "inputSchema");
    bad({ returnAggregateStream: "yes" }, "returnAggregateStream");
    expect(
      resolveOptions({ handler: () => 1 }, { RUNPOD_RESULT_RETRY_WINDOW_MS: "5000" })
        .resultRetryWindowMs,
    ).toBe(5000);
    expect(resolveOptions({ handler: () => 1 }, {}).resultRetryWindowMs).toBeGreaterThanOrEqual(
      600_000,
    );
    // Blank is unset, not 0 (which would mean no retries at all).
    expect(
      resolveOptions({ handler: () => 1 }, { RUNPOD_RESULT_RETRY_WINDOW_MS: " " })
        .resultRetryWindowMs,
    ).toBeGreaterThanOrEqual(600_000);
    expect(() =>
      resolveOptions({ handler: () => 1 }, { RUNPOD_RESULT_RETRY_WINDOW_MS: "soon" }),
    ).toThrow(ValidationError);
    expect(() =>
      resolveOptions({ handler: () => 1 }, { RUNPOD_RESULT_RETRY_WINDOW_MS: "soon" }),
    ).toThrow(/RUNPOD_RESULT_RETRY_WINDOW_MS/);
    expect(() =>
      resolveOptions({ handler: () => 1 }, { RUNPOD_RESULT_RETRY_WINDOW_MS: "-1" }),
    ).toThrow("Invalid RUNPOD_RESULT_RETRY_WINDOW_MS: must be >= 0");
  });

  it("names the option and the problem for each bad start() option", () => {
    const message = (o: object) => {
      try {
        resolveOptions({ handler: () => 1, ...o }, {});
      } catch (e) {
        return (e as Error).message.replace("Invalid serverless.start() options: ", "");
      }
      return "accepted";
    };
    expect(message({ handler: "run" })).toBe("handler: must be a function");
    expect(message({ concurrency: 0 })).toBe("concurrency: must be > 0");
    expect(message({ concurrency: "4" })).toBe(
      "concurrency: must be a positive integer or a function returning one",
    );
    expect(message({ concurrency: () => 2 })).toBe("accepted");
    expect(message({ refreshWorker: 1 })).toBe("refreshWorker: expected boolean");
    expect(message({ inputSchema: { parse: () => 1 } })).toBe(
      "inputSchema: must be a zod schema or a Standard Schema (an object with `~standard.validate`)",
    );
    expect(message({ timeoutMs: 0 })).toBe("timeoutMs: must be > 0");
    expect(message({ shutdownGraceMs: -1 })).toBe("shutdownGraceMs: must be >= 0");
    expect(message({ resultRetryWindowMs: 1.5 })).toBe("resultRetryWindowMs: expected an integer");
    expect(message({ handler: undefined })).toBe("handler: is required");
  });

  it("reports an unknown (misspelt) start() option instead of dropping it", () => {
    expect(() => resolveOptions({ handler: () => 1, concurency: 4 }, {})).toThrow(
      'Invalid serverless.start() options: unknown option "concurency"',
    );
    expect(() => serverless.start({ handler: () => 1, timeout: 5, grace: 1 } as never)).toThrow(
      'unknown options "timeout", "grace"',
    );
  });

  it("reads the platform env with Python's defaults and substitutes both placeholders", () => {
    const env = readWorkerEnv({
      RUNPOD_WEBHOOK_GET_JOB: "http://h/v2/ep/job-take/$RUNPOD_POD_ID?gpu=A",
      RUNPOD_POD_ID: "pod",
      RUNPOD_WEBHOOK_PING: "PING_NOT_SET",
    });
    expect(env.takeUrl).toBe("http://h/v2/ep/job-take/pod?gpu=A");
    expect(env.pingTemplate).toBeUndefined();
    expect(env.doneTemplate).toBe("JOB_DONE_URL");
    expect(env.hostname).toBe("unknown");
    const anonymous = readWorkerEnv({});
    expect(anonymous.reportedWorkerId).toBe("unknown");
    expect(anonymous.workerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(pingIntervalMs(undefined)).toBe(10_000);
    expect(pingIntervalMs("2500")).toBe(2_000);
    expect(pingIntervalMs("250")).toBe(250);
    expect(() => pingIntervalMs("-1")).toThrow(ValidationError);
  });

  it("mirrors in-progress ids for the heartbeat thread, cut at the last id that fits", () => {
    const mirror = new JobIdMirror();
    mirror.write(["a", "b"]);
    expect(readMirror(mirror.buffer)).toBe("a,b");
    mirror.write([]);
    expect(readMirror(mirror.buffer)).toBe("");
    const long = Array.from({ length: 10_000 }, (_, i) => `job-${String(i).padStart(5, "0")}`);
    mirror.write(long);
    const read = readMirror(mirror.buffer);
    expect(read.length).toBeLessThanOrEqual(MIRROR_BYTES);
    expect(read.split(",").every((id, i) => id === long[i])).toBe(true);
  });
});

describe("log format (§A.12)", () => {
  const capture = (level: Parameters<typeof parseLogLevel>[0], json: boolean) => {
    const lines: string[] = [];
    return {
      lines,
      log: new WorkerLog(parseLogLevel(level, "test"), json, { write: (l) => lines.push(l) }),
    };
  };

  it("filters by level, accepts names and indices, rejects others", () => {
    const { lines, log } = capture("warn", false);
    log.info("hidden");
    log.warn("shown", "j1");
    log.error("also");
    expect(lines).toEqual(["WARN   | j1 | shown\n", "ERROR  | also\n"]);
    expect(parseLogLevel("3", "x")).toBe("INFO");
    expect(() => parseLogLevel("WARNING", "RUNPOD_LOG_LEVEL")).toThrow(
      /RUNPOD_LOG_LEVEL.*unknown log level "WARNING"/,
    );
    const silent = capture("NOTSET", false);
    silent.log.error("nothing");
    expect(silent.lines).toEqual([]);
  });

  it("writes ASCII-escaped JSON with the batch prefix, and truncates long messages", () => {
    const { lines, log } = capture("DEBUG", true);
    log.forJob("j1", "b7").info("héllo", { a: 1 });
    expect(lines).toEqual([
      '{"requestId": "j1", "message": "[batchId=b7] h\\u00e9llo { a: 1 }", "level": "INFO"}\n',
    ]);
    const long = "a".repeat(2048) + "b".repeat(10) + "c".repeat(2048);
    expect(truncateMessage(long)).toBe(
      `${"a".repeat(2048)}\n...TRUNCATED 10 CHARACTERS...\n${"c".repeat(2048)}`,
    );
    expect(truncateMessage("short")).toBe("short");
  });
});
