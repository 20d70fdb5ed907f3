/**
 * VolumeCache and runpod-python's on-volume layout (spec platform-updates §8): a mirror written
 * by the layout's rules (GNU tar packing as Python does, a manifest as Python's json.dump writes
 * it) hydrates here; a mirror synced here reads with Python's tarfile; a round trip, deletions,
 * crafted manifests and best effort.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError, VolumeCache } from "../../../src/serverless/io/index.js";

let root: string;
let volume: string;
let models: string;
const warnings: string[] = [];
const log = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "rp-vc-")));
  volume = join(root, "volume");
  models = join(root, "container", "hf");
  mkdirSync(volume, { recursive: true });
  warnings.length = 0;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const cache = (extra: Partial<ConstructorParameters<typeof VolumeCache>[1]> = {}) =>
  new VolumeCache([models], { namespace: "ep-1", volumePath: volume, log, ...extra });
const mirror = () => join(volume, ".cache", "ep-1");

/** Writes `files` under `models` with a fixed old mtime (so copies are comparable). */
function populate(files: Record<string, Buffer | string>) {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(models, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
  }
}

const big = randomBytes(300 * 1024);
const files = {
  "config.json": '{"model": "tiny"}',
  "tokenizer/vocab.txt": "a\nb\nc\n",
  "weights/model.safetensors": big,
};

/** A Python-style json.dump of the manifest: ", " and ": " separators, float mtimes. */
function pythonManifest(small: string[], bigs: string[]) {
  const entry = (p: string) => {
    const s = statSync(p);
    return `{"path": ${JSON.stringify(p)}, "size": ${s.size}, "mtime": ${(s.mtimeMs / 1000).toFixed(1)}}`;
  };
  return `{"version": 1, "threshold": 262144, "small": [${small.map(entry).join(", ")}], "big": [${bigs.map(entry).join(", ")}]}`;
}

describe("VolumeCache layout interop", () => {
  it("hydrates a mirror written by runpod-python's rules (GNU tar, big/, manifest.json)", () => {
    populate(files);
    const small = ["config.json", "tokenizer/vocab.txt"].map((r) => join(models, r));
    const bigs = [join(models, "weights/model.safetensors")];
    mkdirSync(mirror(), { recursive: true });
    // Exactly runpod-python's packing command, file list relative to /.
    const listing = join(root, "list");
    writeFileSync(listing, small.map((p) => relative("/", p)).join("\n"));
    execFileSync("tar", [
      "-C",
      "/",
      "-c",
      "--no-recursion",
      "-f",
      join(mirror(), "small.tar"),
      "-T",
      listing,
    ]);
    for (const p of bigs) {
      const dst = join(mirror(), "big", relative("/", p));
      mkdirSync(dirname(dst), { recursive: true });
      copyFileSync(p, dst);
      utimesSync(dst, 1_700_000_000, 1_700_000_000);
    }
    writeFileSync(join(mirror(), "manifest.json"), pythonManifest(small, bigs));
    rmSync(models, { recursive: true });

    return cache()
      .hydrate()
      .then((restored) => {
        expect(restored).toBe(3);
        expect(readFileSync(join(models, "config.json"), "utf8")).toBe(files["config.json"]);
        expect(readFileSync(join(models, "tokenizer/vocab.txt"), "utf8")).toBe("a\nb\nc\n");
        expect(readFileSync(join(models, "weights/model.safetensors")).equals(big)).toBe(true);
        expect(statSync(join(models, "weights/model.safetensors")).mtimeMs).toBe(1_700_000_000_000);
      });
  });

  it("syncs a mirror runpod-python can read: tar members relative to /, manifest version 1", async () => {
    populate(files);
    expect(await cache().sync()).toBe(3);
    const manifest = JSON.parse(readFileSync(join(mirror(), "manifest.json"), "utf8"));
    expect(manifest.version).toBe(1);
    expect(manifest.threshold).toBe(262_144);
    expect(manifest.small.map((e: { path: string }) => e.path).sort()).toEqual(
      [join(models, "config.json"), join(models, "tokenizer/vocab.txt")].sort(),
    );
    expect(manifest.big).toEqual([
      { path: join(models, "weights/model.safetensors"), size: big.length, mtime: 1_700_000_000 },
    ]);
    expect(
      readFileSync(
        join(mirror(), "big", relative("/", models), "weights/model.safetensors"),
      ).equals(big),
    ).toBe(true);
    // Python reads the archive with tarfile: the names and sizes it sees.
    const seen = execFileSync("python3", [
      "-c",
      "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n  print('\\n'.join(sorted(f'{m.name} {m.size} {int(m.mtime)}' for m in t.getmembers() if m.isfile())))",
      join(mirror(), "small.tar"),
    ]).toString();
    expect(seen.trim().split("\n")).toEqual(
      [
        `${relative("/", join(models, "config.json"))} ${files["config.json"].length} 1700000000`,
        `${relative("/", join(models, "tokenizer/vocab.txt"))} 6 1700000000`,
      ].sort(),
    );
  });
});

describe("VolumeCache round trip", () => {
  it("syncs, then restores into an empty container; unchanged files are not written again", async () => {
    populate(files);
    await cache().sync();
    rmSync(models, { recursive: true });
    expect(await cache().hydrate()).toBe(3);
    expect(readFileSync(join(models, "weights/model.safetensors")).equals(big)).toBe(true);
    expect(await cache().hydrate()).toBe(0);
    expect(await cache().sync()).toBe(0);
  });

  it("repacks after a small file changes or is deleted, so hydrate does not bring it back", async () => {
    populate(files);
    await cache().sync();
    rmSync(join(models, "tokenizer/vocab.txt"));
    writeFileSync(join(models, "config.json"), '{"model": "tinier"}');
    expect(await cache().sync()).toBe(1);
    rmSync(models, { recursive: true });
    await cache().hydrate();
    expect(readFileSync(join(models, "config.json"), "utf8")).toBe('{"model": "tinier"}');
    expect(existsSync(join(models, "tokenizer/vocab.txt"))).toBe(false);
  });

  it("skips lock files, temp files, refs/ and .no_exist/, and symlinks", async () => {
    populate({
      "a.lock": "x",
      "b.rpvc.tmp": "x",
      "refs/main": "sha",
      ".no_exist/x": "",
      "kept.txt": "kept",
    });
    execFileSync("ln", ["-s", join(models, "kept.txt"), join(models, "link.txt")]);
    await cache().sync();
    const manifest = JSON.parse(readFileSync(join(mirror(), "manifest.json"), "utf8"));
    expect(manifest.small.map((e: { path: string }) => e.path)).toEqual([join(models, "kept.txt")]);
  });
});

describe("VolumeCache safety and best effort", () => {
  it("restores nothing outside the configured dirs from a crafted manifest or archive", async () => {
    const outside = join(root, "elsewhere", "evil.bin");
    mkdirSync(dirname(outside), { recursive: true });
    writeFileSync(outside, randomBytes(300 * 1024));
    const bigCopy = join(mirror(), "big", relative("/", outside));
    mkdirSync(dirname(bigCopy), { recursive: true });
    copyFileSync(outside, bigCopy);
    const listing = join(root, "list");
    writeFileSync(listing, relative("/", outside));
    execFileSync("tar", [
      "-C",
      "/",
      "-c",
      "--no-recursion",
      "-f",
      join(mirror(), "small.tar"),
      "-T",
      listing,
    ]);
    writeFileSync(join(mirror(), "manifest.json"), pythonManifest([outside], [outside]));
    rmSync(outside);
    expect(await cache().hydrate()).toBe(0);
    expect(existsSync(outside)).toBe(false);
  });

  it("treats a manifest of another version, or none, as no mirror", async () => {
    populate(files);
    await cache().sync();
    const path = join(mirror(), "manifest.json");
    writeFileSync(path, readFileSync(path, "utf8").replace('"version":1', '"version":2'));
    rmSync(models, { recursive: true });
    expect(await cache().hydrate()).toBe(0);
    rmSync(path);
    expect(await cache().hydrate()).toBe(0);
  });

  it("does nothing without a volume or a namespace", async () => {
    populate(files);
    const none = new VolumeCache(models, {
      namespace: "ep-1",
      volumePath: join(root, "nope"),
      log,
    });
    expect(none.available).toBe(false);
    expect(await none.sync()).toBe(0);
    const saved = process.env.RUNPOD_ENDPOINT_ID;
    delete process.env.RUNPOD_ENDPOINT_ID;
    expect(new VolumeCache(models, { volumePath: volume }).available).toBe(false);
    process.env.RUNPOD_ENDPOINT_ID = "from-env";
    expect(new VolumeCache(models, { volumePath: volume }).mirrorRoot).toBe(
      join(volume, ".cache", "from-env"),
    );
    if (saved === undefined) delete process.env.RUNPOD_ENDPOINT_ID;
    else process.env.RUNPOD_ENDPOINT_ID = saved;
  });

  it("logs and returns 0 on a failure (best effort); throws with bestEffort: false", async () => {
    populate(files);
    mkdirSync(join(volume, ".cache"), { recursive: true });
    writeFileSync(join(volume, ".cache", "ep-1"), "a file where the mirror folder should be");
    expect(await cache().sync()).toBe(0);
    expect(warnings.some((w) => w.startsWith("VolumeCache operation failed:"))).toBe(true);
    await expect(cache({ bestEffort: false }).sync()).rejects.toThrow();
  });

  it("around(): hydrates, runs, then syncs in the background; flush() waits for it", async () => {
    populate({ "x.txt": "x" });
    const c = cache();
    const value = await c.around(() => {
      writeFileSync(join(models, "y.txt"), "made by the job");
      return 42;
    });
    expect(value).toBe(42);
    await c.flush();
    const manifest = JSON.parse(readFileSync(join(mirror(), "manifest.json"), "utf8"));
    expect(manifest.small.map((e: { path: string }) => e.path).sort()).toEqual(
      [join(models, "x.txt"), join(models, "y.txt")].sort(),
    );
  });

  it("validates the namespace and maxWorkers", () => {
    for (const namespace of ["a/b", "..", ".", "/abs", "a\\b"])
      expect(() => new VolumeCache(models, { namespace })).toThrow(ValidationError);
    expect(() => new VolumeCache(models, { maxWorkers: 0 })).toThrow(/maxWorkers/);
  });
});
