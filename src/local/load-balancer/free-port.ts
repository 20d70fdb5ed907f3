import { createServer } from "node:net";

/**
 * A port no one listens on right now, found by binding port 0 on every interface and letting it
 * go (workers bind 0.0.0.0, so a loopback-only probe could miss a wildcard listener). Another
 * process could take it before the worker binds; the worker then fails to start, shows as
 * unhealthy, and is replaced like any crashed worker.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
