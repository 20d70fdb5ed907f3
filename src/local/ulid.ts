/** Crockford's base32, lower case (ids in the docs look like `batch_01j9abc123`). */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * `prefix` and a ULID (ulid/spec): 10 characters of epoch milliseconds, then 16 of randomness, so
 * ids sort by creation time and never collide in practice.
 */
export function prefixedUlid(prefix: string): string {
  let time = Date.now();
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = ALPHABET[time % 32] + head;
    time = Math.floor(time / 32);
  }
  let tail = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) tail += ALPHABET[byte % 32];
  return `${prefix}${head}${tail}`;
}
