import { el } from "./dom.js";

export function pretty(value: unknown): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** One line per entry in the logs, where chunks are usually small. */
export function compact(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/** How long ago, by the platform's clock (`clockOffset` = platform time − browser time). */
export function age(epochMs: number, clockOffset: number): string {
  const seconds = Math.max(0, Math.round((Date.now() + clockOffset - epochMs) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

export function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString();
}

export function statusBadge(status: string): HTMLElement {
  return el("span", { className: `status status-${status}`, text: status });
}

export function jobLink(id: string): HTMLElement {
  return el("a", { href: `#/jobs/${encodeURIComponent(id)}` }, [el("code", { text: id })]);
}
