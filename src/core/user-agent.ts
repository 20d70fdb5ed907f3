import { readEnv, runtimeInfo } from "../internal/runtime.js";
import { VERSION } from "./version.js";

/**
 * `runpod-ts/<version> (<os> <release>; <arch>) Language/Node <version>`, plus
 * ` Integration/<RUNPOD_UA_INTEGRATION>` when that variable is set (as the Python SDK does).
 */
export function userAgent(): string {
  const rt = runtimeInfo();
  const os = rt.osRelease ? `${rt.os} ${rt.osRelease}` : rt.os;
  const language = rt.version ? `Language/${rt.language} ${rt.version}` : `Language/${rt.language}`;
  const parts = [`runpod-ts/${VERSION} (${os}; ${rt.arch})`, language];
  const integration = readEnv("RUNPOD_UA_INTEGRATION")?.trim();
  if (integration) parts.push(`Integration/${integration}`);
  return parts.join(" ");
}
