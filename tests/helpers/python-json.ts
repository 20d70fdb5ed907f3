/**
 * JSON as Python's `json.dumps(value, ensure_ascii=False)` writes it: `", "` and `": "` separators,
 * non-ASCII kept raw. The Python worker sends its job-done and job-stream bodies this way (§A.4).
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const fields = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`);
    return `{${fields.join(", ")}}`;
  }
  return JSON.stringify(value ?? null);
}
