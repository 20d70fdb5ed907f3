import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { userAgent } from "../../src/core/user-agent.js";
import { VERSION } from "../../src/core/version.js";

const pkg = (await import("../../package.json", { with: { type: "json" } })).default;

/** The system as `uname` reports it: a source independent of the `os` calls the code makes. */
const uname = (flag: string) => execFileSync("uname", [flag], { encoding: "utf8" }).trim();

describe("user agent", () => {
  afterEach(() => {
    delete process.env.RUNPOD_UA_INTEGRATION;
  });

  it("has the documented shape, with this system's name, release and architecture", () => {
    expect(VERSION).toBe(pkg.version);
    const arch = { x86_64: "x64", aarch64: "arm64" }[uname("-m")] ?? uname("-m");
    // process.version is "v20.x.y"; the token wants the number alone.
    expect(userAgent()).toBe(
      `runpod-ts/${pkg.version} (${uname("-s")} ${uname("-r")}; ${arch}) Language/Node ${process.version.slice(1)}`,
    );
    expect(userAgent()).toMatch(
      /^runpod-ts\/\d+\.\d+\.\d+\S* \(\S+ \S+; \w+\) Language\/Node \d+\.\d+\.\d+$/,
    );
  });

  it("adds the integration token, trimmed, and only when set", () => {
    expect(userAgent()).not.toContain("Integration/");
    process.env.RUNPOD_UA_INTEGRATION = "  my-app ";
    expect(userAgent()).toMatch(/\) Language\/Node \S+ Integration\/my-app$/);
    process.env.RUNPOD_UA_INTEGRATION = "   ";
    expect(userAgent()).not.toContain("Integration/");
  });
});
