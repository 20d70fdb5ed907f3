import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, runCli, tempHome } from "./run-cli.js";

const { home, cleanup } = tempHome();
afterAll(cleanup);
const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"));

describe("runpod-ts program", () => {
  it("--help lists the commands and the global options on stdout, exit 0", async () => {
    const r = await runCli(["--help"], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    for (const text of [
      "Usage: runpod-ts",
      "config",
      "init",
      "pod",
      "gpu",
      "template",
      "endpoint",
      "ssh",
      "deploy",
      "--profile <name>",
      "--api-key <key>",
      "--json",
      "--verbose",
    ]) {
      expect(r.stdout).toContain(text);
    }
  });

  it("--help works on subcommands and shows the global options there too", async () => {
    const r = await runCli(["config", "show", "--help"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: runpod-ts config show");
    expect(r.stdout).toContain("--json");
  });

  it("group help lists the subcommands; a group without one shows its help", async () => {
    const r = await runCli(["pod", "--help"], { home });
    expect(r.code).toBe(0);
    for (const sub of [
      "list",
      "get",
      "create",
      "stop",
      "start|resume",
      "terminate|delete",
      "ssh",
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${sub.replace("|", "\\|")}\\b`, "m"));
    }
    const endpoint = await runCli(["endpoint", "--help"], { home });
    for (const sub of ["list", "create", "delete"]) {
      expect(endpoint.stdout).toMatch(new RegExp(`^  ${sub}\\b`, "m"));
    }
    // runpodctl v2's name for the group reaches the same commands.
    const serverless = await runCli(["serverless", "--help"], { home });
    expect(serverless.code).toBe(0);
    expect(serverless.stdout).toContain("Usage: runpod-ts endpoint|serverless");
    expect(serverless.stdout.slice(serverless.stdout.indexOf("Commands:"))).toBe(
      endpoint.stdout.slice(endpoint.stdout.indexOf("Commands:")),
    );
    const bare = await runCli(["template"], { home });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: runpod-ts template");
  });

  it("--version and -v print the package version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await runCli([flag], { home });
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });

  it("an unknown option is a usage error: exit 2, the message and the help on stderr", async () => {
    const r = await runCli(["--bogus"], { home });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stderr).toContain("Usage: runpod-ts");
  });

  it("an unknown command and extra arguments exit 2 with the relevant help", async () => {
    const unknown = await runCli(["frobnicate"], { home });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");

    const extra = await runCli(["config", "show", "surplus"], { home });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("too many arguments");
    expect(extra.stderr).toContain("Usage: runpod-ts config show");
  });

  it("an option missing its value exits 2", async () => {
    const r = await runCli(["config", "--profile"], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument missing");
  });

  it("stops quietly when stdout is closed early (`runpod-ts --help | head -1`)", async () => {
    const child = spawn(process.execPath, [CLI, "--help"], {
      env: { PATH: process.env.PATH, HOME: home },
    });
    // Closed before the child has even started, so its first write hits a closed pipe.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
