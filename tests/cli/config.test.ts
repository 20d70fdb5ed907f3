import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempHome } from "./run-cli.js";

const KEY = "rpa_TESTKEY0123456789ABCDEFGHIJ";
const OTHER = "rpa_OTHERKEY9876543210ZYXWVUTS";

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const file = () => join(home, ".runpod", "config.toml");
const mode = (path: string) => statSync(path).mode & 0o777;

describe("runpod-ts config", () => {
  it("writes the Python CLI's format with mode 0600 in a 0700 directory", async () => {
    const r = await runCli(["config", "--api-key", KEY], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('profile "default"');
    expect(readFileSync(file(), "utf8")).toBe(`[default]\napi_key = "${KEY}"\n`);
    expect(mode(file())).toBe(0o600);
    expect(mode(join(home, ".runpod"))).toBe(0o700);
  });

  it("keeps other profiles, their extra keys and top-level keys, and replaces only api_key", async () => {
    mkdirSync(join(home, ".runpod"));
    writeFileSync(
      file(),
      [
        'apiUrl = "https://api.runpod.io/graphql"',
        "graphqlTimeout = 9007199254740993",
        "",
        "[default]",
        `api_key = "${OTHER}"`,
        'region = "EU"',
        "",
        "[work]",
        'api_key = "rpa_WORKKEY00000000000000000"',
        "",
      ].join("\n"),
      { mode: 0o644 },
    );
    const r = await runCli(["config", "--api-key", KEY], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Replaced the API key");
    const doc = parse(readFileSync(file(), "utf8"), { integersAsBigInt: "asNeeded" });
    expect(doc).toEqual({
      apiUrl: "https://api.runpod.io/graphql",
      graphqlTimeout: 9007199254740993n,
      default: { api_key: KEY, region: "EU" },
      work: { api_key: "rpa_WORKKEY00000000000000000" },
    });
    expect(mode(file())).toBe(0o600);
  });

  it("--profile adds a table for that profile; --json reports what was written", async () => {
    await runCli(["config", "--api-key", OTHER], { home });
    const r = await runCli(["config", "--profile", "work", "--api-key", KEY, "--json"], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ profile: "work", path: file(), replaced: false });
    expect(parse(readFileSync(file(), "utf8"))).toEqual({
      default: { api_key: OTHER },
      work: { api_key: KEY },
    });
  });

  it("reads the key from the first line of piped stdin and never echoes it", async () => {
    const r = await runCli(["config", "--profile", "ci"], { home, input: `  ${KEY}  \nignored\n` });
    expect(r.code).toBe(0);
    expect(parse(readFileSync(file(), "utf8"))).toEqual({ ci: { api_key: KEY } });
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it("an empty stdin is an error that says how to give the key; nothing is written", async () => {
    const r = await runCli(["config"], { home, input: "" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("No API key given");
    expect(r.stderr).toContain("--api-key");
    expect(() => statSync(file())).toThrow();
  });

  it("a key with spaces is rejected without being repeated", async () => {
    const bad = "rpa_has a space";
    const flag = await runCli(["config", "--api-key", bad], { home });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--api-key: must not contain spaces");
    expect(flag.stderr).not.toContain(bad);
    const piped = await runCli(["config"], { home, input: `${bad}\n` });
    expect(piped.code).toBe(1);
    expect(piped.stderr).not.toContain(bad);
  });

  it("an invalid TOML file is reported with its path and left alone", async () => {
    mkdirSync(join(home, ".runpod"));
    writeFileSync(file(), "[default\napi_key = 1\n");
    const r = await runCli(["config", "--api-key", KEY], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file()} is not valid TOML (line 1)`);
    expect(readFileSync(file(), "utf8")).toBe("[default\napi_key = 1\n");
  });
});

describe("runpod-ts config show", () => {
  beforeEach(async () => {
    await runCli(["config", "--api-key", KEY], { home });
    await runCli(["config", "--profile", "work", "--api-key", OTHER], { home });
  });

  it("prints a table of profiles with masked keys", async () => {
    const r = await runCli(["config", "show"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(file());
    expect(r.stdout).toMatch(/PROFILE {2}API KEY\ndefault {2}rpa_…GHIJ\nwork {5}rpa_…VUTS\n$/);
    expect(r.stdout).not.toContain(KEY);
    expect(r.stdout).not.toContain(OTHER);
  });

  it("--json prints the same data, masked", async () => {
    const r = await runCli(["config", "show", "--json"], {
      home,
      env: { RUNPOD_API_KEY: "rpa_FROMENV000000000000000000" },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      path: file(),
      profiles: [
        { profile: "default", apiKey: "rpa_…GHIJ" },
        { profile: "work", apiKey: "rpa_…VUTS" },
      ],
      envApiKey: "rpa_…0000",
    });
  });

  it("says how to add a profile when there is none", async () => {
    const empty = tempHome();
    try {
      const r = await runCli(["config", "show"], { home: empty.home });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("No profiles");
      expect(r.stdout).toContain("runpod-ts config");
    } finally {
      empty.cleanup();
    }
  });

  it("colours only when asked: never on a pipe, never with NO_COLOR, with FORCE_COLOR", async () => {
    const plain = await runCli(["config", "show"], { home });
    expect(plain.stdout).not.toContain("\x1b[");
    const forced = await runCli(["config", "show"], { home, env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\x1b[1mPROFILE");
    const both = await runCli(["config", "show"], {
      home,
      env: { FORCE_COLOR: "1", NO_COLOR: "1" },
    });
    expect(both.stdout).not.toContain("\x1b[");
  });
});

describe("errors", () => {
  it("--verbose adds the stack and the cause to the one-line error", async () => {
    mkdirSync(join(home, ".runpod"));
    writeFileSync(file(), "[default\n");
    const quiet = await runCli(["config", "show"], { home });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr.trim().split("\n")).toHaveLength(1);
    const verbose = await runCli(["config", "show", "--verbose"], { home });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toContain("is not valid TOML");
    expect(verbose.stderr).toMatch(/CliError: .* is not valid TOML/);
    expect(verbose.stderr).toContain("Caused by:");
    expect(verbose.stderr).toContain("ValidationError: Invalid config file");
  });
});
