import { visibleWidth } from "./color.js";

/**
 * One record as aligned `label  value` lines, for `get`-style commands. Rows whose value is
 * `undefined` are left out, so optional fields need no special casing at the call site.
 */
export function formatDetails(
  rows: ReadonlyArray<readonly [label: string, value: string | undefined]>,
  label: (text: string) => string = (text) => text,
): string {
  const shown = rows.filter((r): r is readonly [string, string] => r[1] !== undefined);
  const width = Math.max(0, ...shown.map(([l]) => visibleWidth(l)));
  return shown
    .map(([l, v]) => `${label(l)}${" ".repeat(width - visibleWidth(l))}  ${v}`.trimEnd())
    .join("\n");
}
