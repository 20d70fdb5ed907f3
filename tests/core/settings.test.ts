import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { resolveSetting, settingEnvVar } from "../../src/core/settings.js";

describe("settings", () => {
  afterEach(() => {
    delete process.env.RUNPOD_ENDPOINT_BASE_URL;
    delete process.env.RUNPOD_API_KEY;
  });

  it("prefers the option, then the env var, then the default", () => {
    expect(resolveSetting("endpointBaseUrl")).toBe("https://api.runpod.ai/v2");
    process.env.RUNPOD_ENDPOINT_BASE_URL = "http://127.0.0.1:1/v2";
    expect(resolveSetting("endpointBaseUrl")).toBe("http://127.0.0.1:1/v2");
    expect(resolveSetting("endpointBaseUrl", "http://localhost:2/v2")).toBe(
      "http://localhost:2/v2",
    );
    expect(resolveSetting("apiKey")).toBeUndefined();
    process.env.RUNPOD_API_KEY = "";
    expect(resolveSetting("apiKey")).toBeUndefined();
    expect(settingEnvVar("apiKey")).toBe("RUNPOD_API_KEY");
  });

  it("rejects a bad value and names its source", () => {
    process.env.RUNPOD_ENDPOINT_BASE_URL = "not a url";
    expect(() => resolveSetting("endpointBaseUrl")).toThrow(ValidationError);
    expect(() => resolveSetting("endpointBaseUrl")).toThrow(/RUNPOD_ENDPOINT_BASE_URL/);
    expect(() => resolveSetting("apiBaseUrl", "nope")).toThrow(/option "apiBaseUrl"/);
  });
});
