/**
 * The hidden prompt, on a real terminal: `script` (util-linux) runs the CLI on a pseudo-terminal
 * and relays what we type. Keys are typed only after the prompt shows, when raw mode is on.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, tempHome } from "./run-cli.js";

const KEY = "rpa_TTYKEY0123456789ABCDEFGHIJ";
const PROMPT = "(input hidden): ";

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

/** Runs `runpod-ts config` on a pty; types `keys` once the prompt appears. */
function typeAtPrompt(keys: string): Promise<{ code: number | null; screen: string }> {
  const command = `'${process.execPath}' '${CLI}' config --profile tty`;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", TERM: "dumb" },
  });
  let screen = "";
  let typed = false;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    screen += d;
    if (!typed && screen.includes(PROMPT)) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, screen }));
  });
}

const file = () => join(home, ".runpod", "config.toml");

describe("runpod-ts config on a terminal", () => {
  it("asks for the key without echoing it; Backspace edits", async () => {
    const { code, screen } = await typeAtPrompt(`${KEY}x\u007f\r`);
    expect(code).toBe(0);
    expect(screen).toContain('API key for profile "tty" (input hidden): ');
    expect(screen).toContain('Saved the API key for profile "tty"');
    expect(screen).not.toContain("rpa_TTY");
    expect(readFileSync(file(), "utf8")).toBe(`[tty]\napi_key = "${KEY}"\n`);
  });

  it("Ctrl-C cancels and writes nothing", async () => {
    const { code, screen } = await typeAtPrompt("rpa_partial\u0003");
    expect(code).toBe(1);
    expect(screen).toContain("error: Cancelled");
    expect(screen).not.toContain("rpa_partial");
    expect(existsSync(file())).toBe(false);
  });
});
