import { type Agent, request } from "node:http";

/**
 * One health poll: `GET http://127.0.0.1:{port}{path}`, resolving with the status, or `undefined`
 * when nothing answered within `timeoutMs` (connection refused, reset, or silence). The body is
 * read and ignored (§2.2: only the status counts) so the keep-alive socket can be reused.
 */
export function checkHealth(
  port: number,
  path: string,
  timeoutMs: number,
  agent: Agent,
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", agent }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode));
      res.once("error", () => resolve(res.statusCode));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.once("error", () => resolve(undefined));
    req.end();
  });
}
