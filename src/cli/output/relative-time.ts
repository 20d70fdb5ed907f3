const UNITS: ReadonlyArray<readonly [limitSeconds: number, secondsPerUnit: number, label: string]> =
  [
    [60, 1, "s"],
    [3600, 60, "min"],
    [86_400, 3600, "h"],
    [30 * 86_400, 86_400, "d"],
  ];

/**
 * "3 min ago", "in 2 h", "just now"; a calendar date (YYYY-MM-DD) beyond a month, where a relative
 * figure stops being useful. Unreadable input comes back as given, so a table never loses data.
 */
export function relativeTime(when: Date | string | number, now: number = Date.now()): string {
  const time = when instanceof Date ? when.getTime() : new Date(when).getTime();
  if (Number.isNaN(time)) return String(when);
  const deltaSeconds = Math.round((now - time) / 1000);
  const abs = Math.abs(deltaSeconds);
  if (abs < 10) return "just now";
  for (const [limit, per, label] of UNITS) {
    if (abs < limit) {
      const n = Math.floor(abs / per);
      return deltaSeconds >= 0 ? `${n} ${label} ago` : `in ${n} ${label}`;
    }
  }
  return new Date(time).toISOString().slice(0, 10);
}
