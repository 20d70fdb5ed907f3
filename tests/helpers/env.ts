import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/**
 * Snapshot and restore of environment variables. Restores key by key: replacing `process.env`
 * with a plain object would cut it off from the real environment that `os.homedir()` reads.
 */
export function snapshotEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    for (const [key, value] of Object.entries(saved)) process.env[key] = value;
  };
}

/**
 * For each test: an empty temporary HOME and the named variables unset, so nothing outside the
 * test decides which key or file is used; both restored afterwards. Returns the current HOME.
 */
export function useIsolatedHome(unset: readonly string[]): () => string {
  let home = "";
  let restore: () => void = () => {};
  beforeEach(() => {
    restore = snapshotEnv();
    home = mkdtempSync(join(tmpdir(), "runpod-ts-home-"));
    process.env.HOME = home;
    for (const name of unset) delete process.env[name];
  });
  afterEach(() => {
    restore();
    rmSync(home, { recursive: true, force: true });
  });
  return () => home;
}
