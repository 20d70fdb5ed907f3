import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import {
  formatAffinity,
  healthStateOf,
  loadBalancerBaseUrl,
  loadBalancerErrorBody,
  loadBalancerHealthUrl,
  parseAffinity,
  parseLoadBalancerError,
  readLoadBalancerEnv,
  targetWorkerCount,
  workerStatusOf,
} from "../../src/protocol/index.js";

describe("LB worker environment (§2.1)", () => {
  it("defaults to port 80 and /ping, health on the app port", () => {
    expect(readLoadBalancerEnv({})).toEqual({ port: 80, healthPort: 80, healthPath: "/ping" });
    expect(readLoadBalancerEnv({ PORT: "8000" })).toEqual({
      port: 8000,
      healthPort: 8000,
      healthPath: "/ping",
    });
  });
  it("takes a separate health port and path; blanks mean the default", () => {
    expect(
      readLoadBalancerEnv({ PORT: "5000", PORT_HEALTH: "5001", HEALTH_CHECK_PATH: "/healthz" }),
    ).toEqual({ port: 5000, healthPort: 5001, healthPath: "/healthz" });
    expect(readLoadBalancerEnv({ PORT: " ", HEALTH_CHECK_PATH: "" })).toEqual({
      port: 80,
      healthPort: 80,
      healthPath: "/ping",
    });
  });
  it("names every bad variable", () => {
    let caught: unknown;
    try {
      readLoadBalancerEnv({ PORT: "80a", PORT_HEALTH: "70000", HEALTH_CHECK_PATH: "ping" });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path[0])).toEqual([
      "PORT",
      "PORT_HEALTH",
      "HEALTH_CHECK_PATH",
    ]);
  });
});

describe("health status rule (§2.2)", () => {
  it("reads 200 ready, 204 initializing, anything else unhealthy", () => {
    expect(healthStateOf(200)).toBe("ready");
    expect(healthStateOf(204)).toBe("initializing");
    for (const s of [201, 500, 503, 404, undefined]) expect(healthStateOf(s)).toBe("unhealthy");
  });
  it("maps health and load onto WorkerStatus (§10.18)", () => {
    expect(workerStatusOf("initializing", 0)).toBe("INITIALIZING");
    expect(workerStatusOf("unhealthy", 3)).toBe("UNHEALTHY");
    expect(workerStatusOf("ready", 0)).toBe("IDLE");
    expect(workerStatusOf("ready", 1)).toBe("RUNNING");
  });
});

describe("URLs (§3, §8)", () => {
  it("derives the LB host from the serverless base URL", () => {
    expect(loadBalancerBaseUrl("abc123")).toBe("https://abc123.api.runpod.ai");
    expect(loadBalancerBaseUrl("ep", "http://localhost:8080/v2")).toBe("http://ep.localhost:8080");
    expect(loadBalancerHealthUrl("https://ep.api.runpod.ai/")).toBe(
      "https://ep.api.runpod.ai/ping",
    );
    expect(loadBalancerHealthUrl("https://ep.api.runpod.ai", "/h")).toBe(
      "https://ep.api.runpod.ai/h",
    );
  });
});

describe("affinity header (§5.2)", () => {
  it("formats the three forms with one space", () => {
    expect(formatAffinity({ id: "pod-1" })).toBe("pod-1");
    expect(formatAffinity({ id: "pod-1", affinity: "soft" })).toBe("pod-1");
    expect(formatAffinity({ id: "pod-1", affinity: "strict" })).toBe("strict pod-1");
    expect(formatAffinity({ id: "pod-1", affinity: "strict-resume" })).toBe("strict-resume pod-1");
  });
  it("parses what it formats, and blanks as no pin", () => {
    for (const affinity of ["soft", "strict", "strict-resume"] as const) {
      expect(parseAffinity(formatAffinity({ id: "pod-9", affinity }))).toEqual({
        id: "pod-9",
        affinity,
      });
    }
    expect(parseAffinity(undefined)).toBeUndefined();
    expect(parseAffinity(null)).toBeUndefined();
    expect(parseAffinity("  ")).toBeUndefined();
    expect(parseAffinity("strict")).toEqual({ id: "strict", affinity: "soft" });
  });
});

describe("platform errors (§3, §5.3)", () => {
  it("recognises each reason in JSON or as bare text", () => {
    expect(
      parseLoadBalancerError(JSON.stringify(loadBalancerErrorBody("no workers available"))),
    ).toBe("no_workers_available");
    expect(parseLoadBalancerError('{"error":"affinity_worker_gone"}')).toBe("affinity_worker_gone");
    expect(parseLoadBalancerError('{"error":"worker_timeout"}')).toBe("worker_timeout");
    expect(parseLoadBalancerError("timed out waiting for worker\n")).toBe("worker_timeout");
    expect(parseLoadBalancerError('{"error":"not allowed for QB API"}')).toBe(
      "not_allowed_for_queue",
    );
  });
  it("leaves a worker's own answers alone", () => {
    expect(parseLoadBalancerError('{"error":"not found"}')).toBeUndefined();
    expect(parseLoadBalancerError("{not json")).toBeUndefined();
    expect(parseLoadBalancerError('{"detail":"worker_timeout"}')).toBeUndefined();
    expect(parseLoadBalancerError("")).toBeUndefined();
  });
});

describe("request-count scaling (§7)", () => {
  it("wants ceil((waiting + inFlight) / requestCount) workers", () => {
    expect(targetWorkerCount(0, 0, 1)).toBe(0);
    expect(targetWorkerCount(1, 1, 1)).toBe(2);
    expect(targetWorkerCount(3, 2, 4)).toBe(2);
  });
});
