/** ~/.runpod/config.toml: the Python CLI's profiles, read with HOME pointing at a temp dir. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunpodApi } from "../../src/api/client.js";
import { configFilePath, readConfigProfile } from "../../src/core/config-file.js";
import { ValidationError } from "../../src/core/errors.js";
import { useIsolatedHome } from "../helpers/env.js";
import { type GraphQLTestServer, startGraphQLServer } from "../helpers/graphql-server.js";

let server: GraphQLTestServer;
const home = useIsolatedHome(["RUNPOD_API_KEY"]);

beforeAll(async () => {
  server = await startGraphQLServer("rpa_FROM_FILE");
});
afterAll(() => server.close());

function writeConfig(text: string) {
  mkdirSync(join(home(), ".runpod"), { recursive: true });
  writeFileSync(join(home(), ".runpod", "config.toml"), text);
}

describe("config file", () => {
  it("lives under HOME", () => {
    expect(configFilePath()).toBe(join(home(), ".runpod", "config.toml"));
  });

  it("reads the default and named profiles of the Python CLI's format", async () => {
    writeConfig(
      '[default]\napi_key = "rpa_FROM_FILE"\n\n[work]\napi_key = "rpa_WORK"\nother = 1\n',
    );
    expect(await readConfigProfile()).toEqual({
      apiKey: "rpa_FROM_FILE",
      values: { api_key: "rpa_FROM_FILE" },
    });
    expect(await readConfigProfile("work")).toEqual({
      apiKey: "rpa_WORK",
      values: { api_key: "rpa_WORK", other: 1 },
    });
    expect(await readConfigProfile("missing")).toBeUndefined();
  });

  it("is optional, and a broken file is a ValidationError naming the file", async () => {
    expect(await readConfigProfile()).toBeUndefined();
    writeConfig("[default\napi_key = ");
    const error = await readConfigProfile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(configFilePath());
    writeConfig("[default]\napi_key = 42\n");
    await expect(readConfigProfile()).rejects.toThrow(
      /default\.api_key: must be a non-empty string/,
    );
  });

  it("accepts runpodctl's top-level apiKey as the default profile", async () => {
    writeConfig('apiKey = "rpa_CTL"\napiUrl = "https://api.runpod.io/graphql"\n');
    expect((await readConfigProfile())?.apiKey).toBe("rpa_CTL");
  });
});

describe("API key fallback", () => {
  it("uses the default profile's key when neither the option nor RUNPOD_API_KEY is set", async () => {
    writeConfig('[default]\napi_key = "rpa_FROM_FILE"\n');
    const api = new RunpodApi({ baseUrl: server.baseUrl });
    await expect(api.graphql.getUser()).resolves.toMatchObject({ id: "user-1" });
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer rpa_FROM_FILE");
  });

  it("prefers RUNPOD_API_KEY to the file, and the option to both", async () => {
    writeConfig('[default]\napi_key = "rpa_STALE"\n');
    process.env.RUNPOD_API_KEY = "rpa_FROM_FILE";
    await new RunpodApi({ baseUrl: server.baseUrl }).graphql.getGpus();
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer rpa_FROM_FILE");

    process.env.RUNPOD_API_KEY = "rpa_STALE";
    await new RunpodApi({ baseUrl: server.baseUrl, apiKey: "rpa_FROM_FILE" }).graphql.getGpus();
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer rpa_FROM_FILE");
  });
});
