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
