import type { CommandContext } from "../../context.js";
import { formatDetails } from "../../output/details.js";
import type { Column } from "../../output/table.js";

/** A list command's output: a table, or the array as JSON with `--json`. */
export async function showList<Row>(
  ctx: CommandContext,
  label: string,
  fetch: () => Promise<Row[]>,
  columns: readonly Column<Row>[],
  empty: string,
): Promise<void> {
  const rows = await ctx.out.spin(label, fetch);
  ctx.out.table(rows, columns, empty);
}

/** A get command's output: aligned `label  value` lines, or the record as JSON with `--json`. */
export async function showOne<T>(
  ctx: CommandContext,
  label: string,
  fetch: () => Promise<T>,
  rows: (value: T) => ReadonlyArray<readonly [string, string | undefined]>,
): Promise<void> {
  const value = await ctx.out.spin(label, fetch);
  ctx.out.data(value, (v) => formatDetails(rows(v), ctx.out.style.bold));
}

/** `undefined` for absent values, else the text (numbers, booleans and lists readable). */
export function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The positional argument `i` (commander has already required it). */
export const arg = (ctx: CommandContext, i = 0): string => String(ctx.args[i]);
