import { createHash } from "node:crypto";

/** One OpenSSH public key line: `<type> <base64 blob> [comment]`. */
export interface PublicKey {
  type: string;
  /** The base64 text as written. */
  body: string;
  /** The decoded key blob: what identifies the key (the comment does not). */
  blob: Buffer;
  comment: string;
}

/** Key types the OpenSSH line format carries; anything else is a typo or not a public key. */
const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ssh-dss",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses a public key line, checking that the blob decodes and names the same type as the line
 * (which catches a truncated paste or a private key given by mistake).
 * @returns the key, or a reason it is not one
 */
export function parsePublicKey(line: string): PublicKey | { error: string } {
  const [type = "", body = "", ...rest] = line.trim().split(/\s+/);
  if (!KEY_TYPES.has(type)) {
    return { error: type === "" ? "empty line" : `unknown key type "${type.slice(0, 40)}"` };
  }
  if (!BASE64.test(body) || body.length % 4 !== 0) return { error: "the key data is not base64" };
  const blob = Buffer.from(body, "base64");
  if (blobType(blob) !== type) return { error: `the key data is not a ${type} key` };
  return { type, body, blob, comment: rest.join(" ") };
}

export function isPublicKey(value: PublicKey | { error: string }): value is PublicKey {
  return !("error" in value);
}

/** The first field of a key blob: a uint32 length, then the type name. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length > 64 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** `SHA256:<unpadded base64>`, exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Pick<PublicKey, "blob">): string {
  const digest = createHash("sha256").update(key.blob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** The line for `authorized_keys` and for the account's key list. */
export function formatPublicKey(key: Pick<PublicKey, "type" | "body" | "comment">): string {
  return key.comment === "" ? `${key.type} ${key.body}` : `${key.type} ${key.body} ${key.comment}`;
}

export interface AccountKeys {
  keys: PublicKey[];
  /** Entries that are not keys, kept so an update never drops them silently. */
  invalid: string[];
}

/** Sorts the account's keys (`GET /v2/account/ssh-keys`, one line each) from what is not a key. */
export function splitAccountKeys(lines: readonly string[]): AccountKeys {
  const keys: PublicKey[] = [];
  const invalid: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const parsed = parsePublicKey(line);
    if (isPublicKey(parsed)) keys.push(parsed);
    else invalid.push(line);
  }
  return { keys, invalid };
}

/** Same key, whatever the comment says. */
export function sameKey(a: Pick<PublicKey, "blob">, b: Pick<PublicKey, "blob">): boolean {
  return a.blob.equals(b.blob);
}

/**
 * The account's key list with `key` appended, for `PUT /v2/account/ssh-keys` (which replaces the
 * whole list); `undefined` when the account already has that key (under any comment).
 */
export function addAccountKey(lines: readonly string[], key: PublicKey): string[] | undefined {
  const { keys } = splitAccountKeys(lines);
  if (keys.some((k) => sameKey(k, key))) return undefined;
  return [...lines.map((l) => l.trim()).filter((l) => l !== ""), formatPublicKey(key)];
}
