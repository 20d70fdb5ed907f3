import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { formatPublicKey, isPublicKey, type PublicKey, parsePublicKey } from "./public-key.js";

/** Key names become file names: no separators, no leading dot, nothing a shell would mangle. */
export const KEY_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export interface KeyPairText {
  /** `ssh-ed25519 AAAA… comment` */
  publicKey: string;
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` …, unencrypted, as `ssh-keygen -N ""` writes it. */
  privateKey: string;
}

/** The generated pair's name when none is given; `pod ssh` prefers it. */
export const DEFAULT_KEY_NAME = "runpod-ts";

/** Where generated keys live, as in the Python CLI (`~/.runpod/ssh/<name>` and `.pub`). */
export function sshKeyDir(home: string = homedir()): string {
  return join(home, ".runpod", "ssh");
}

/** A new ed25519 key pair in OpenSSH formats, from node:crypto. */
export function generateEd25519(comment: string): KeyPairText {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.d === undefined || jwk.x === undefined) throw new Error("ed25519 JWK without d or x");
  const seed = Buffer.from(jwk.d, "base64url");
  const pub = Buffer.from(jwk.x, "base64url");
  const publicBlob = concatStrings([Buffer.from("ssh-ed25519"), pub]);
  return {
    publicKey: formatPublicKey({
      type: "ssh-ed25519",
      body: publicBlob.toString("base64"),
      comment,
    }),
    privateKey: opensshPrivateKey(publicBlob, seed, pub, comment),
  };
}

/**
 * The `openssh-key-v1` container (OpenSSH's PROTOCOL.key) with no cipher: the public blob, then
 * a private section of two equal check words, the key (32-byte public, 64-byte seed‖public) and
 * the comment, padded with 1, 2, 3… to the cipher block size (8 for "none").
 */
function opensshPrivateKey(publicBlob: Buffer, seed: Buffer, pub: Buffer, comment: string): string {
  const check = randomBytes(4);
  const section = Buffer.concat([
    check,
    check,
    concatStrings([
      Buffer.from("ssh-ed25519"),
      pub,
      Buffer.concat([seed, pub]),
      Buffer.from(comment),
    ]),
  ]);
  const padLength = (8 - (section.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    concatStrings([Buffer.from("none"), Buffer.from("none"), Buffer.alloc(0)]),
    uint32(1),
    concatStrings([publicBlob, Buffer.concat([section, padding])]),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** SSH wire `string`s: each a uint32 length, then the bytes. */
function concatStrings(parts: readonly Buffer[]): Buffer {
  return Buffer.concat(parts.flatMap((p) => [uint32(p.length), p]));
}

/**
 * Writes `<dir>/<name>` (private) and `<dir>/<name>.pub`, both 0600, the directory 0700. Never
 * overwrites an existing key: losing one locks the user out of machines that trust it.
 * @returns the two paths
 */
export async function writeKeyPair(
  dir: string,
  name: string,
  pair: KeyPairText,
): Promise<{ privatePath: string; publicPath: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privatePath = join(dir, name);
  const publicPath = `${privatePath}.pub`;
  await writeFile(privatePath, pair.privateKey, { mode: 0o600, flag: "wx" });
  await writeFile(publicPath, `${pair.publicKey}\n`, { mode: 0o600, flag: "wx" });
  return { privatePath, publicPath };
}

export interface LocalKeyPair {
  name: string;
  privatePath: string;
  key: PublicKey;
}

/** Key pairs in `dir` (a `<name>.pub` that parses, next to its private `<name>`), by name. */
export async function localKeyPairs(dir: string): Promise<LocalKeyPair[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const pairs: LocalKeyPair[] = [];
  for (const entry of entries.filter((e) => e.endsWith(".pub")).sort()) {
    const name = entry.slice(0, -".pub".length);
    const privatePath = join(dir, name);
    const isFile = await stat(privatePath).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) continue;
    const key = parsePublicKey(await readFile(join(dir, entry), "utf8"));
    if (isPublicKey(key)) pairs.push({ name, privatePath, key });
  }
  return pairs;
}
