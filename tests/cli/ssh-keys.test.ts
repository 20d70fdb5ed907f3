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
import { useRestSession } from "./rest-session.js";
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

describe("the account's key list", () => {
  it("skips blank entries and keeps entries that are not keys aside", () => {
    const { keys, invalid } = splitAccountKeys([ED25519, "", `  ${other}  `, "not a key"]);
    expect(keys.map((k) => k.comment)).toEqual(["alice@laptop", "other"]);
    expect(invalid).toEqual(["not a key"]);
    expect(splitAccountKeys([])).toEqual({ keys: [], invalid: [] });
  });

  it("appends a key, and never twice (whatever the comment)", () => {
    const added = addAccountKey([ED25519], mustParse(other)) ?? [];
    expect(added).toEqual([ED25519, other]);
    expect(addAccountKey([], mustParse(other))).toEqual([other]);
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

describe("runpod-ts ssh on REST v2", () => {
  const s = useRestSession();
  const keyDir = () => join(s.home, ".runpod", "ssh");
  const mode = (path: string) => statSync(path).mode & 0o777;
  const keygenFingerprint = (path: string) => sshKeygen("-lf", path).split(" ")[1];
  /** The account's keys as the scripted server holds them: GET reads, PUT replaces. */
  let account: string[] = [];
  beforeAll(() =>
    s.fake.handle((req) => {
      if (req.path !== "/v2/account/ssh-keys") return { status: 404, json: {} };
      if (req.method === "PUT") account = (req.body as { keys: string[] }).keys;
      return { json: { keys: account } };
    }),
  );

  it("list-keys and add-key against the document (Prism)", async () => {
    const list = await s.ok(["ssh", "list-keys"]);
    const [header, row] = list.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^TYPE\s+FINGERPRINT\s+COMMENT$/);
    expect(row).toMatch(/^ssh-ed25519\s+SHA256:\S+\s+me@example\.com$/);
    const listed = JSON.parse((await s.ok(["ssh", "list-keys", "--json"])).stdout);
    expect(listed).toEqual([
      {
        type: "ssh-ed25519",
        fingerprint: expect.stringMatching(/^SHA256:/),
        comment: "me@example.com",
      },
    ]);

    const file = join(s.home, "alice.pub");
    writeFileSync(file, `${ED25519}\n`);
    const added = await s.ok(["ssh", "add-key", "--key-file", file]);
    expect(added.stdout).toContain(`Added ssh-ed25519 ${keygenFingerprint(file)} (alice@laptop)`);
  });

  it("add-key generates an ed25519 pair (0600) under ~/.runpod/ssh and adds it once", async () => {
    const r = await s.onFake(["ssh", "add-key", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const pub = join(keyDir(), "runpod-ts.pub");
    const result = JSON.parse(r.stdout);
    expect(result).toEqual({
      type: "ssh-ed25519",
      fingerprint: keygenFingerprint(pub),
      comment: "runpod-ts",
      from: pub,
      generated: true,
    });
    expect(mode(join(keyDir(), "runpod-ts"))).toBe(0o600);
    expect(mode(pub)).toBe(0o600);
    expect(mode(keyDir())).toBe(0o700);
    expect(r.requests.map((q) => q.method)).toEqual(["GET", "PUT"]);
    expect(account).toEqual([readFileSync(pub, "utf8").trim()]);

    // The same name again reuses the pair on disk, and the account already has it.
    const again = await s.onFake(["ssh", "add-key"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: The account already has this key (${result.fingerprint}); not adding it twice; see the keys with \`runpod-ts ssh list-keys\`\n`,
    );
    expect(again.requests.map((q) => q.method)).toEqual(["GET"]);
  });

  it("add-key --key-file appends a given key (comment from --name), the others kept", async () => {
    const file = join(s.home, "alice.pub");
    writeFileSync(file, `${ED25519}\n`);
    const before = [...account];
    const r = await s.onFake(["ssh", "add-key", "--key-file", file, "--name", "alice-work"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Read ${file}`);
    expect(r.stdout).toContain(`Added ssh-ed25519 ${keygenFingerprint(file)} (alice-work)`);
    expect(r.requests.at(-1)?.body).toEqual({
      keys: [...before, ED25519.replace("alice@laptop", "alice-work")],
    });

    // The same key under another comment is still the same key: read, never written.
    const dup = await s.onFake(["ssh", "add-key", "--key-file", file]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already has this key");
    expect(dup.requests.map((q) => q.method)).toEqual(["GET"]);

    const lines = (await s.onFake(["ssh", "list-keys"])).stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^ssh-ed25519\s+SHA256:\S+\s+runpod-ts$/);
    expect(lines[2]).toBe(`ssh-ed25519  ${keygenFingerprint(file)}  alice-work`);
  });

  it("list-keys on an account without keys, and with an entry that is not a key", async () => {
    account = [];
    const none = await s.onFake(["ssh", "list-keys"]);
    expect(none.stdout).toBe("No SSH keys on the account. Add one with `runpod-ts ssh add-key`.\n");
    expect(JSON.parse((await s.onFake(["ssh", "list-keys", "--json"])).stdout)).toEqual([]);
    account = ["not a key", ED25519];
    const mixed = await s.onFake(["ssh", "list-keys"]);
    expect(mixed.stderr).toContain("1 of the account's SSH keys are not OpenSSH public keys.");
    expect(mixed.stdout).toContain("alice@laptop");
  });

  it("refuses what is not a public key, or a bad name, without touching the account", async () => {
    const file = join(s.home, "private-key");
    writeFileSync(file, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n");
    const notKey = await s.onFake(["ssh", "add-key", "--key-file", file]);
    expect(notKey.code).toBe(1);
    expect(notKey.requests).toEqual([]);
    expect(notKey.stderr).toBe(
      `error: ${file} is not an OpenSSH public key (unknown key type "-----BEGIN"); give the .pub file, e.g. --key-file ~/.ssh/id_ed25519.pub\n`,
    );
    await s.usageError(["ssh", "add-key", "--name", "../evil"], "--name: use 1-64 letters");
  });
});
