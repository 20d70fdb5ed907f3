import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { userAgent } from "../../src/core/user-agent.js";
import { VERSION } from "../../src/core/version.js";

const pkg = (await import("../../package.json", { with: { type: "json" } })).default;

describe("user agent", () => {
  afterEach(() => {
    delete process.env.RUNPOD_UA_INTEGRATION;
  });

  it("has the documented shape", () => {
    expect(VERSION).toBe(pkg.version);
    expect(userAgent()).toBe(
      `runpod-ts/${pkg.version} (${os.type()} ${os.release()}; ${os.arch()}) Language/Node ${process.versions.node}`,
    );
  });

  it("adds the integration token", () => {
    process.env.RUNPOD_UA_INTEGRATION = "my-app";
    expect(userAgent().endsWith(" Integration/my-app")).toBe(true);
  });
});
