import type { ErrorHeaders } from "../../core/api-errors.js";
import { parseRetryAfter } from "../../core/api-errors.js";

/** One window of the per-user rate limit (`minute`, `hour`, `day`, ...). */
export interface RateLimitWindow {
  readonly name: string;
  /** Requests left in this window (`r` of `RateLimit`). */
  readonly remaining: number | undefined;
  /** Seconds until the window resets (`t` of `RateLimit`). */
  readonly resetSeconds: number | undefined;
  /** Requests allowed per window (`q` of `RateLimit-Policy`). */
  readonly quota: number | undefined;
  /** The window's length in seconds (`w` of `RateLimit-Policy`). */
  readonly windowSeconds: number | undefined;
}

/** The limits the last response reported (`api.rateLimit`). */
export interface RateLimitState {
  readonly windows: readonly RateLimitWindow[];
  /** When the response carrying them arrived. */
  readonly observedAt: Date;
}

type Members = Map<string, Record<string, number>>;

/**
 * A structured-field list such as `"minute";r=0;t=12, "hour";r=2800;t=1812`, read leniently as
 * runpod-mcp does: names quoted or bare, parameters in any order, unknown or missing ones skipped.
 */
function parseMembers(value: string | undefined): Members {
  const members: Members = new Map();
  for (const member of (value ?? "").split(",")) {
    const [rawName, ...params] = member.split(";").map((p) => p.trim());
    const name = rawName?.replace(/^"|"$/g, "");
    if (!name) continue;
    const values: Record<string, number> = {};
    for (const param of params) {
      const [key, raw] = param.split("=").map((p) => p.trim());
      const number = Number(raw);
      if (key && raw !== undefined && raw !== "" && Number.isFinite(number)) values[key] = number;
    }
    members.set(name, values);
  }
  return members;
}

/** The `RateLimit` and `RateLimit-Policy` headers of a response; `undefined` when it has neither. */
export function parseRateLimit(
  headers: ErrorHeaders,
  now = new Date(),
): RateLimitState | undefined {
  const live = parseMembers(headers.ratelimit);
  const policy = parseMembers(headers["ratelimit-policy"]);
  if (live.size === 0 && policy.size === 0) return undefined;
  const names = [...new Set([...live.keys(), ...policy.keys()])];
  const windows = names.map((name): RateLimitWindow => {
    const l = live.get(name) ?? {};
    const p = policy.get(name) ?? {};
    return { name, remaining: l.r, resetSeconds: l.t, quota: p.q, windowSeconds: p.w };
  });
  return { windows, observedAt: now };
}

/**
 * How long a 429 asks to wait, in ms: `Retry-After` may describe only the window that rejected
 * this request while others are exhausted too, so the wait is the larger of it and the latest
 * reset among windows with nothing left.
 */
export function rateLimitWaitMs(headers: ErrorHeaders): number | undefined {
  const retryAfter = parseRetryAfter(headers["retry-after"]);
  const exhausted = (parseRateLimit(headers)?.windows ?? [])
    .filter((w) => w.remaining === 0 && w.resetSeconds !== undefined)
    .map((w) => (w.resetSeconds as number) * 1000);
  const waits = [retryAfter, ...exhausted].filter((w): w is number => w !== undefined);
  return waits.length === 0 ? undefined : Math.max(...waits);
}
