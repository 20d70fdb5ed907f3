/** Commander helpers shared by the group modules (kept dependency-free: they load for `--help`). */

/** Parser for a repeatable flag: each occurrence is appended to the list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
