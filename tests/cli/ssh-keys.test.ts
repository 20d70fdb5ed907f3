import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateEd25519,
  KEY_NAME,
  localKeyPairs,
  sshKeyDir,
  writeKeyPair,
} from "../../src/cli/ssh/generate-key.js";
import {
  addAccountKey,
  fingerprint,
  isPublicKey,
  type PublicKey,
  parsePublicKey,
  splitAccountKeys,
} from "../../src/cli/ssh/public-key.js";
import { requireCommand } from "../helpers/required-tools.js";
import { tempHome } from "./run-cli.js";

// ssh-keygen is the reference implementation; .ci/run installs openssh-client when it is missing.
beforeAll(() => requireCommand("ssh-keygen", "on Debian: apt-get install openssh-client"));
const sshKeygen = (...args: string[]) =>
  execFileSync("ssh-keygen", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const { home, cleanup } = tempHome();
afterAll(cleanup);

const ED25519 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILzqx942dhdev3rvd2sLSEdXJUyP/ZBQykpGgj9A9rk8 alice@laptop";

function mustParse(line: string): PublicKey {
  const key = parsePublicKey(line);
  if (!isPublicKey(key)) throw new Error(key.error);
  return key;
}

describe("public keys", () => {
  it("parses type, body and comment (comments may contain spaces)", () => {
    const key = mustParse(`${ED25519} extra words`);
    expect(key.type).toBe("ssh-ed25519");
    expect(key.body).toBe("AAAAC3NzaC1lZDI1NTE5AAAAILzqx942dhdev3rvd2sLSEdXJUyP/ZBQykpGgj9A9rk8");
    expect(key.comment).toBe("alice@laptop extra words");
    expect(mustParse(ED25519.split(" ").slice(0, 2).join(" ")).comment).toBe("");
  });

  it("rejects what is not a public key, saying why", () => {
    expect(parsePublicKey("")).toEqual({ error: "empty line" });
    expect(parsePublicKey("-----BEGIN OPENSSH PRIVATE KEY-----")).toEqual({
      error: 'unknown key type "-----BEGIN"',
    });
    expect(parsePublicKey("ssh-ed25519 not*base64")).toEqual({
      error: "the key data is not base64",
    });
    // A valid ed25519 blob labelled as RSA: the blob's own type must match.
    expect(parsePublicKey(ED25519.replace("ssh-ed25519", "ssh-rsa"))).toEqual({
      error: "the key data is not a ssh-rsa key",
    });
  });

  it("fingerprints exactly as ssh-keygen -lf prints them", () => {
    expect(fingerprint(mustParse(ED25519))).toBe(
      "SHA256:927QLtvCUitPD2y6oumqiErU+1Gui1iTDQgeoIRq/lQ",
    );
    for (const type of ["ed25519", "rsa", "ecdsa"]) {
      const path = join(home, `ref-${type}`);
      sshKeygen("-q", "-t", type, "-N", "", "-C", `ref ${type}`, "-f", path);
      const reference = sshKeygen("-lf", `${path}.pub`).split(" ")[1];
      expect(fingerprint(mustParse(readFileSync(`${path}.pub`, "utf8")))).toBe(reference);
    }
  });
});

const other = generateEd25519("other").publicKey;

describe("the account's pubKey field", () => {
  it("splits on newlines, skips blank lines and keeps lines that are not keys aside", () => {
    const { keys, invalid } = splitAccountKeys(`${ED25519}\n\n  ${other}  \r\nnot a key\n`);
    expect(keys.map((k) => k.comment)).toEqual(["alice@laptop", "other"]);
    expect(invalid).toEqual(["not a key"]);
    expect(splitAccountKeys(null)).toEqual({ keys: [], invalid: [] });
  });

  it("adds a key with a blank line between keys, and never twice (whatever the comment)", () => {
    const added = addAccountKey(ED25519, mustParse(other));
    expect(added).toBe(`${ED25519}\n\n${other}`);
    expect(addAccountKey("", mustParse(other))).toBe(other);
    expect(addAccountKey(added, mustParse(other))).toBeUndefined();
    const renamed = ED25519.replace("alice@laptop", "a different comment");
    expect(addAccountKey(added, mustParse(renamed))).toBeUndefined();
  });
});

describe("generated ed25519 keys", () => {
  it("are accepted by ssh-keygen, which derives the same public key and fingerprint", async () => {
    const pair = generateEd25519("runpod-ts test key");
    const dir = sshKeyDir(home);
    const { privatePath, publicPath } = await writeKeyPair(dir, "runpod-ts", pair);
    expect(privatePath).toBe(join(home, ".runpod", "ssh", "runpod-ts"));
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    expect(statSync(publicPath).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(privatePath, "utf8")).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END OPENSSH PRIVATE KEY-----\n$/,
    );

    const derived = mustParse(sshKeygen("-y", "-f", privatePath));
    const ours = mustParse(pair.publicKey);
    expect(derived.body).toBe(ours.body);
    expect(ours.comment).toBe("runpod-ts test key");
    expect(sshKeygen("-lf", privatePath).split(" ")[1]).toBe(fingerprint(ours));
  });

  it("are never written over an existing key", async () => {
    const dir = join(home, "keys");
    await writeKeyPair(dir, "k", generateEd25519("first"));
    await expect(writeKeyPair(dir, "k", generateEd25519("second"))).rejects.toThrow(/EEXIST/);
    expect(readFileSync(join(dir, "k.pub"), "utf8")).toContain("first");
  });

  it("local key pairs are found by their .pub next to a private key", async () => {
    const dir = join(home, "local");
    await writeKeyPair(dir, "b", generateEd25519("bee"));
    await writeKeyPair(dir, "a", generateEd25519("ay"));
    writeFileSync(join(dir, "orphan.pub"), other);
    writeFileSync(join(dir, "garbage"), "x");
    writeFileSync(join(dir, "garbage.pub"), "not a key");
    const pairs = await localKeyPairs(dir);
    expect(pairs.map((p) => [p.name, p.key.comment])).toEqual([
      ["a", "ay"],
      ["b", "bee"],
    ]);
    expect(pairs[0]?.privatePath).toBe(join(dir, "a"));
    expect(await localKeyPairs(join(home, "missing"))).toEqual([]);
  });

  it("key names are safe file names", () => {
    for (const ok of ["runpod-ts", "RunPod-Key", "id_ed25519", "a.b"])
      expect(KEY_NAME.test(ok)).toBe(true);
    for (const bad of ["", ".hidden", "a/b", "../x", "a b", "x".repeat(65)]) {
      expect(KEY_NAME.test(bad)).toBe(false);
    }
  });
});
