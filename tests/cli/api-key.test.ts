import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveApiKey } from "../../src/cli/api-key.js";
import { CliError } from "../../src/cli/errors.js";
import { describeError } from "../../src/cli/output/describe-error.js";
import { resolveApiKey as resolveKey } from "../../src/core/api-key.js";
import { AuthenticationError } from "../../src/core/index.js";
import { tempHome } from "./run-cli.js";

// homedir() reads HOME on every call; this file runs in its own process (pool: forks).
const { home, cleanup } = tempHome();
const savedHome = process.env.HOME;
beforeAll(() => {
  process.env.HOME = home;
  mkdirSync(join(home, ".runpod"));
  writeFileSync(
    join(home, ".runpod", "config.toml"),
    '[default]\napi_key = "from-default"\n\n[work]\napi_key = "from-work"\n',
  );
});
afterAll(() => {
  process.env.HOME = savedHome;
  cleanup();
});

const none = { apiKey: undefined, profile: undefined };

describe("resolveApiKey", () => {
  it("prefers --api-key, then --profile, then RUNPOD_API_KEY, then the default profile", async () => {
    const env = { RUNPOD_API_KEY: "from-env" };
    expect(await resolveApiKey({ apiKey: "from-flag", profile: "work" }, env)).toBe("from-flag");
    expect(await resolveApiKey({ apiKey: undefined, profile: "work" }, env)).toBe("from-work");
    expect(await resolveApiKey(none, env)).toBe("from-env");
    expect(await resolveApiKey(none, {})).toBe("from-default");
  });

  it("reads runpodctl's top-level apiKey as the default profile, as the library does", async () => {
    const file = join(home, ".runpod", "config.toml");
    writeFileSync(file, 'apiKey = "from-runpodctl"\napiUrl = "https://api.runpod.io/graphql"\n');
    expect(await resolveApiKey(none, {})).toBe("from-runpodctl");
    expect(await resolveKey({ env: {} })).toBe("from-runpodctl");
    // A [default] table written later (by `runpod-ts config`) wins over runpodctl's key.
    writeFileSync(file, 'apiKey = "from-runpodctl"\n\n[default]\napi_key = "from-default"\n');
    expect(await resolveApiKey(none, {})).toBe("from-default");
    writeFileSync(file, '[default]\napi_key = "from-default"\n\n[work]\napi_key = "from-work"\n');
  });

  it("an unknown profile says how to add it", async () => {
    const error = await resolveApiKey({ apiKey: undefined, profile: "nope" }, {}).catch((e) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(describeError(error).hint).toBe("add one with `runpod-ts config --profile nope`");
  });

  it("no key anywhere is the AuthenticationError the API client also throws, explained", async () => {
    rmSync(join(home, ".runpod", "config.toml"));
    const error = await resolveApiKey(none, {}).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const { message, hint } = describeError(error);
    expect(message).toBe("No Runpod API key configured");
    expect(hint).toContain("runpod-ts config");
    expect(hint).toContain("RUNPOD_API_KEY");
    expect(hint).toContain("--api-key");
  });
});
