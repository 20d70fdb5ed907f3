import { visibleWidth } from "./color.js";

export interface Column<Row> {
  header: string;
  /** The cell text; may carry ANSI styling, which does not count towards the width. */
  value: (row: Row) => string;
  /** Right-align numbers so their digits line up. */
  align?: "left" | "right";
}

/**
 * An aligned plain-text table: a header row, then one line per row, columns separated by two
 * spaces. Trailing spaces are trimmed so output diffs and `grep`s cleanly.
 */
export function formatTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  header: (text: string) => string = (text) => text,
): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(visibleWidth(c.header), ...cells.map((r) => visibleWidth(r[i] ?? ""))),
  );
  const line = (values: readonly string[], style: (text: string) => string = (t) => t) =>
    values
      .map((v, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - visibleWidth(v));
        return columns[i]?.align === "right" ? pad + style(v) : style(v) + pad;
      })
      .join("  ")
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      header,
    ),
    ...cells.map((r) => line(r)),
  ].join("\n");
}
