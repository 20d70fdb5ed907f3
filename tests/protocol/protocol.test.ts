import { describe, expect, it } from "vitest";
import { validate } from "../../src/core/validate.js";
import {
  appendQuery,
  canTransition,
  isTerminal,
  jobUrl,
  runRequestSchema,
  swapJobTakeSegment,
  workerUrl,
} from "../../src/protocol/index.js";

describe("URL templates (§A.1.1)", () => {
  const base = "http://127.0.0.1:1/v2/ep";
  it("substitutes both placeholders for worker URLs", () => {
    expect(workerUrl(`${base}/job-take/$ID?gpu=X`, "pod")).toBe(`${base}/job-take/pod?gpu=X`);
    expect(workerUrl(`${base}/job-take/$RUNPOD_POD_ID?gpu=X`, "pod")).toBe(
      `${base}/job-take/pod?gpu=X`,
    );
  });
  it("substitutes the pod id before the job id for job URLs", () => {
    expect(jobUrl(`${base}/job-done/$RUNPOD_POD_ID/$ID?gpu=X`, "pod", "j-1")).toBe(
      `${base}/job-done/pod/j-1?gpu=X`,
    );
  });
  it("appends with & or ? and encodes like requests", () => {
    expect(appendQuery("http://h/p?gpu=A", [["job_id", "a,b"]])).toBe(
      "http://h/p?gpu=A&job_id=a%2Cb",
    );
    expect(
      appendQuery("http://h/p", [
        ["x", "1"],
        ["y", "2"],
      ]),
    ).toBe("http://h/p?x=1&y=2");
    expect(appendQuery("http://h/p", [])).toBe("http://h/p");
  });
  it("swaps the job-take segment", () => {
    expect(swapJobTakeSegment(`${base}/job-take/pod?gpu=x`, "job-stop")).toBe(
      `${base}/job-stop/pod?gpu=x`,
    );
    expect(swapJobTakeSegment(`${base}/take/pod`, "job-take-batch")).toBeUndefined();
  });
});

describe("states", () => {
  it("knows terminal states and legal transitions", () => {
    expect(isTerminal("CANCELLED")).toBe(true);
    expect(isTerminal("IN_PROGRESS")).toBe(false);
    expect(canTransition("FAILED", "IN_QUEUE")).toBe(true);
    expect(canTransition("COMPLETED", "IN_QUEUE")).toBe(false);
  });
});

describe("run request", () => {
  it("accepts a full body and rejects bad policy values", () => {
    const body = validate(
      runRequestSchema,
      { input: { a: 1 }, webhook: "https://x.test/h", policy: { ttl: 20_000 } },
      "request",
    );
    expect(body.policy?.ttl).toBe(20_000);
    expect(() => validate(runRequestSchema, { input: 1, policy: { ttl: 5 } }, "request")).toThrow(
      /policy\.ttl/,
    );
    expect(() => validate(runRequestSchema, {}, "request")).toThrow(/input/);
  });
});
