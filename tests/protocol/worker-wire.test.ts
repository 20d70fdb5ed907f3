/** Pure wire functions of the worker protocol, checked against the Python trace's bytes. */
import { describe, expect, it } from "vitest";
import { parseWorkerError } from "../../src/core/job-errors.js";
import {
  errorBody,
  jobStopUrl,
  jobTakeUrl,
  parseJobDoneBody,
  parseStopResponse,
  parseTakeResponse,
  pingUrls,
  progressBody,
  pythonJsonDumps,
  resultBody,
  UnserializableValueError,
  unhealthyPingUrl,
  workerErrorString,
} from "../../src/protocol/index.js";

const raw = (v: unknown) => pythonJsonDumps(v, { ensureAscii: false });
const ascii = (v: unknown) => pythonJsonDumps(v, { ensureAscii: true });

describe("Python json.dumps form", () => {
  it("uses Python's separators and key order", () => {
    expect(
      raw({
        output: [
          { x: 1, chunk: 0 },
          { x: 1, chunk: 1 },
        ],
      }),
    ).toBe('{"output": [{"x": 1, "chunk": 0}, {"x": 1, "chunk": 1}]}');
    expect(raw({ status: "IN_PROGRESS", output: { step: 1, of: 2 } })).toBe(
      '{"status": "IN_PROGRESS", "output": {"step": 1, "of": 2}}',
    );
    expect(raw([])).toBe("[]");
    expect(raw({})).toBe("{}");
  });

  it("keeps non-ASCII raw or escapes it like ensure_ascii", () => {
    expect(raw({ t: "héllo 😀" })).toBe('{"t": "héllo 😀"}');
    expect(ascii({ t: "héllo 😀\u007f" })).toBe('{"t": "h\\u00e9llo \\ud83d\\ude00\\u007f"}');
    expect(ascii({ clé: '\n\t"\\' })).toBe('{"cl\\u00e9": "\\n\\t\\"\\\\"}');
  });

  it("honours toJSON, drops undefined properties, writes null for non-finite numbers", () => {
    expect(raw({ d: new Date(0), u: undefined, n: Number.NaN })).toBe(
      '{"d": "1970-01-01T00:00:00.000Z", "n": null}',
    );
  });

  it("refuses what JSON cannot hold, saying what and where", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: Array<[unknown, RegExp]> = [
      [{ n: 10n }, /^output\.n is a BigInt/],
      [{ f: () => 1 }, /^output\.f is a function/],
      [{ list: [1, undefined] }, /^output\.list\[1\] is undefined/],
      [cyclic, /^output\.self refers back to itself/],
      [{ m: new Map() }, /^output\.m is a Map/],
      [{ s: Symbol("x") }, /^output\.s is a Symbol/],
    ];
    for (const [value, message] of cases) {
      let thrown: unknown;
      try {
        pythonJsonDumps(value, { ensureAscii: false, rootName: "output" });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(UnserializableValueError);
      expect((thrown as Error).message).toMatch(message);
    }
  });
});

describe("job-done bodies (§A.4 table)", () => {
  it("maps handler results", () => {
    expect(resultBody(5)).toEqual({ output: 5 });
    expect(resultBody(undefined)).toEqual({ output: null });
    expect(resultBody({})).toEqual({});
    expect(raw(resultBody({ error: "e", a: 1, refresh_worker: true }))).toBe(
      '{"output": {"a": 1}, "error": "e", "stopPod": true}',
    );
    expect(resultBody({ error: { code: 1 } })).toEqual({ error: '{"code":1}' });
    const returned = { error: "x", keep: true };
    resultBody(returned);
    expect(returned).toEqual({ error: "x", keep: true });
  });

  it("is read back as the platform reads it", () => {
    expect(parseJobDoneBody(progressBody("50%"))).toEqual({
      state: "IN_PROGRESS",
      output: "50%",
      stopPod: false,
    });
    expect(parseJobDoneBody({ output: 1, stopPod: true })).toEqual({
      state: "COMPLETED",
      output: 1,
      stopPod: true,
    });
    expect(parseJobDoneBody(errorBody("e"))).toMatchObject({ state: "FAILED", error: "e" });
    expect(parseJobDoneBody("x")).toBeUndefined();
  });

  it("writes the error string the endpoint client parses", () => {
    const s = workerErrorString({
      errorType: "TypeError",
      errorMessage: "bad ✓",
      errorTraceback: "TypeError: bad\n    at x",
      hostname: "h",
      workerId: "w",
      runpodVersion: "0.1.0",
    });
    expect(s).toBe(
      '{"error_type": "TypeError", "error_message": "bad \\u2713", "error_traceback": "TypeError: bad\\n    at x", "hostname": "h", "worker_id": "w", "runpod_version": "0.1.0"}',
    );
    expect(parseWorkerError(s)).toMatchObject({ errorType: "TypeError", errorMessage: "bad ✓" });
  });
});

describe("worker request URLs and answers", () => {
  const take = "http://h/v2/ep/job-take/pod?gpu=A";
  it("builds job-take, batch, stop and ping URLs as the trace", () => {
    expect(jobTakeUrl(take, 1, false)).toBe("http://h/v2/ep/job-take/pod?gpu=A&job_in_progress=0");
    expect(jobTakeUrl(take, 8, true)).toBe(
      "http://h/v2/ep/job-take-batch/pod?gpu=A&batch_size=8&job_in_progress=1",
    );
    expect(jobStopUrl(take)).toBe("http://h/v2/ep/job-stop/pod?gpu=A");
    expect(jobStopUrl("http://h/take")).toBeUndefined();
    const urls = pingUrls("http://h/v2/ep/ping/pod", "1.2.3");
    expect(urls.idle).toBe("http://h/v2/ep/ping/pod?runpod_version=1.2.3");
    expect(urls.busy.replace("__RUNPOD_JOB_IDS__", encodeURIComponent("a,b"))).toBe(
      "http://h/v2/ep/ping/pod?job_id=a%2Cb&runpod_version=1.2.3",
    );
    expect(unhealthyPingUrl("http://h/ping/pod", "gpu", "Error: x y", "1")).toBe(
      "http://h/ping/pod?status=unhealthy&check=gpu&reason=Error%3A%20x%20y&runpod_version=1",
    );
  });

  it("reads job-take answers per the §A.3 table", () => {
    const json = "application/json";
    expect(parseTakeResponse("text/plain", '{"id":"a","input":1}')).toEqual({ kind: "none" });
    expect(parseTakeResponse(json, "")).toEqual({ kind: "none" });
    expect(parseTakeResponse(json, "{nope")).toEqual({ kind: "none" });
    expect(parseTakeResponse(json, "null")).toEqual({ kind: "none" });
    expect(parseTakeResponse(json, "[]")).toEqual({ kind: "none" });
    expect(parseTakeResponse(json, '{"id":"a"}')).toMatchObject({ kind: "invalid" });
    expect(parseTakeResponse(`${json}; charset=utf-8`, '{"id":"a","input":null,"x":2}')).toEqual({
      kind: "jobs",
      jobs: [{ id: "a", input: null, x: 2 }],
      dropped: 0,
    });
    expect(parseTakeResponse(json, '[{"id":"a","input":1},{"bad":1}]')).toEqual({
      kind: "jobs",
      jobs: [{ id: "a", input: 1 }],
      dropped: 1,
    });
  });

  it("reads job-stop answers per §A.8", () => {
    expect(parseStopResponse("application/json", '{"jobsToStop":["a",2,"b"]}')).toEqual(["a", "b"]);
    expect(parseStopResponse("application/json", '{"jobsToStop":"a"}')).toEqual([]);
    expect(parseStopResponse("text/html", '{"jobsToStop":["a"]}')).toEqual([]);
  });
});
