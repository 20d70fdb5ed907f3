/**
 * Tests that drive a system tool say so when it is missing, rather than failing with ENOENT deep
 * inside a test. They fail (never skip): the behaviour they check still needs checking.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export function requireFile(path: string, what: string, install: string): void {
  if (!existsSync(path)) {
    throw new Error(`${what} is missing: these tests need ${path} (${install})`);
  }
}

export function requireCommand(command: string, install: string): void {
  const probe = spawnSync(command, ["-?"], { stdio: "ignore" });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new Error(`${command} is missing: these tests need it on the PATH (${install})`);
  }
}
