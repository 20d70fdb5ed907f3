/** A JSON object: what `JSON.parse` returns for `{…}`, as opposed to an array, `null` or a scalar. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
