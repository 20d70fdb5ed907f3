/**
 * A warm cache on the network volume with runpod-python's on-volume layout (spec
 * platform-updates §8), so Python and TypeScript workers of one endpoint share one mirror:
 *
 *   <volumePath>/.cache/<namespace>/small.tar      files under 256 KiB, member names relative to /
 *   <volumePath>/.cache/<namespace>/big/<path>     larger files, at their absolute path without "/"
 *   <volumePath>/.cache/<namespace>/manifest.json  {"version": 1, "threshold": 262144, "small": [...],
 *                                                   "big": [...]}, written last: "the mirror is complete"
 *
 * Best effort by default: every failure is logged as a warning and the call returns 0, so a
 * cache problem costs a cold start, never a job.
 */
import { randomUUID } from "node:crypto";
import { lstatSync, realpathSync, statSync } from "node:fs";
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { cpus } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { create as tarCreate, extract as tarExtract } from "tar";
import { ValidationError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { currentJob } from "../context.js";

const THRESHOLD = 256 * 1024;
const VERSION = 1;
/** Seconds of mtime difference ignored (coarse NFS timestamps). */
const MTIME_TOLERANCE = 2;
const EXCLUDED = [`${sep}refs${sep}`, `${sep}.no_exist${sep}`];

interface FileMeta {
  path: string;
  size: number;
  /** Seconds, fractional, as Python's `st_mtime`. */
  mtime: number;
}

interface Manifest {
  version: 1;
  threshold: number;
  small: FileMeta[];
  big: FileMeta[];
}

export interface VolumeCacheOptions {
  /** The mirror's folder name. Must be one safe path component. @default env `RUNPOD_ENDPOINT_ID` */
  namespace?: string;
  /** Where the network volume is mounted. @default "/runpod-volume" */
  volumePath?: string;
  /** Log and swallow every failure (return 0) instead of throwing. @default true */
  bestEffort?: boolean;
  /** Large files copied at once. @default min(32, CPUs × 4) */
  maxWorkers?: number;
  /** Where warnings go. @default the running job's logger, else `console` */
  log?: Logger;
}

/** `realpath`, resolving as much of the path as exists (Python's `os.path.realpath`). */
function realish(path: string): string {
  const abs = resolve(path);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const parent = dirname(head);
      if (parent === head) return abs;
      tail.push(head.slice(parent.length).replace(/^[/\\]/, ""));
      head = parent;
    }
  }
}

const toMeta = async (path: string): Promise<FileMeta | undefined> => {
  try {
    const s = await stat(path);
    return { path, size: s.size, mtime: s.mtimeMs / 1000 };
  } catch {
    return undefined;
  }
};

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile() && !e.name.endsWith(".lock") && !e.name.endsWith(".rpvc.tmp")) {
      if (!EXCLUDED.some((x) => path.includes(x))) yield path;
    }
    // Symlinks (to files or folders) are skipped, as runpod-python skips them.
  }
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export class VolumeCache {
  private readonly dirs: string[];
  private readonly namespace: string;
  private readonly volumePath: string;
  private readonly bestEffort: boolean;
  private readonly maxWorkers: number;
  private readonly logger: Logger | undefined;
  private readonly pending = new Set<Promise<number>>();

  constructor(dirs: string | readonly string[], options: VolumeCacheOptions = {}) {
    const list = typeof dirs === "string" ? [dirs] : dirs;
    if (!Array.isArray(list) || list.some((d) => typeof d !== "string" || d === ""))
      throw new ValidationError("VolumeCache dirs", [
        { path: [], message: "expected a directory path or an array of them" },
      ]);
    this.dirs = list.map(realish);
    const ns = options.namespace || process.env.RUNPOD_ENDPOINT_ID || "";
    if (
      ns &&
      (isAbsolute(ns) || ns.includes("/") || ns.includes("\\") || ns === "." || ns === "..")
    )
      throw new ValidationError("VolumeCache options", [
        {
          path: ["namespace"],
          message: `must be a single safe path component, got ${JSON.stringify(ns)}`,
        },
      ]);
    this.namespace = ns;
    this.volumePath = options.volumePath ?? "/runpod-volume";
    this.bestEffort = options.bestEffort ?? true;
    const workers = options.maxWorkers ?? Math.min(32, (cpus().length || 4) * 4);
    if (!Number.isInteger(workers) || workers < 1)
      throw new ValidationError("VolumeCache options", [
        { path: ["maxWorkers"], message: "must be a positive integer" },
      ]);
    this.maxWorkers = workers;
    this.logger = options.log;
  }

  /** The volume is mounted (a directory) and the namespace is set; otherwise every call is a no-op. */
  get available(): boolean {
    try {
      return this.namespace !== "" && statSync(this.volumePath).isDirectory();
    } catch {
      return false;
    }
  }

  /** `<volumePath>/.cache/<namespace>` */
  get mirrorRoot(): string {
    return join(this.volumePath, ".cache", this.namespace);
  }

  private get log(): Logger {
    return this.logger ?? currentJob()?.log ?? console;
  }

  private get bigRoot() {
    return join(this.mirrorRoot, "big");
  }

  private get smallArchive() {
    return join(this.mirrorRoot, "small.tar");
  }

  private get manifestPath() {
    return join(this.mirrorRoot, "manifest.json");
  }

  /** Volume → container: restores files missing or different here. Resolves with how many. */
  hydrate(): Promise<number> {
    return this.guard(() => this.doHydrate());
  }

  /** Container → volume: mirrors files new or changed here. Resolves with how many were written. */
  sync(): Promise<number> {
    return this.guard(() => this.doSync());
  }

  /** Starts `sync()` without waiting; `flush()` waits for it. */
  syncInBackground(): void {
    const run = this.sync().finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Waits for background syncs, at most `timeoutMs` (30 s, as runpod-python's exit hook). */
  async flush(timeoutMs = 30_000): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((r) => {
      timer = setTimeout(() => r("late"), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.all(this.pending).then(() => "done" as const),
      late,
    ]);
    clearTimeout(timer);
    if (outcome === "late")
      this.log.warn(
        `VolumeCache: background sync did not finish within ${Math.round(timeoutMs / 1000)}s; cache may be incomplete`,
      );
  }

  /** Python's `with VolumeCache(...)`: hydrate, run `fn`, then sync in the background. */
  async around<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.hydrate();
    try {
      return await fn();
    } finally {
      this.syncInBackground();
    }
  }

  private async guard(op: () => Promise<number>): Promise<number> {
    if (!this.available) return 0;
    try {
      return await op();
    } catch (error) {
      if (!this.bestEffort) throw error;
      this.log.warn(
        `VolumeCache operation failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 0;
    }
  }

  private static inside(dir: string, target: string): boolean {
    return target === dir || target.startsWith(dir + sep);
  }

  private isSafeDest(path: string): boolean {
    const target = realish(path);
    return this.dirs.some((d) => VolumeCache.inside(d, target));
  }

  private static within(base: string, path: string): boolean {
    const b = realish(base);
    const p = realish(path);
    return p === b || p.startsWith(b + sep);
  }

  private async readManifest(): Promise<Manifest | undefined> {
    try {
      const obj = JSON.parse(await readFile(this.manifestPath, "utf8")) as Partial<Manifest> | null;
      // Another version (or no object at all) means "no mirror": sync rewrites it.
      if (typeof obj !== "object" || obj === null || Array.isArray(obj) || obj.version !== VERSION)
        return undefined;
      return {
        version: VERSION,
        threshold: obj.threshold ?? THRESHOLD,
        small: Array.isArray(obj.small) ? obj.small : [],
        big: Array.isArray(obj.big) ? obj.big : [],
      };
    } catch {
      return undefined;
    }
  }

  private async writeManifest(small: FileMeta[], big: FileMeta[]): Promise<void> {
    await mkdir(this.mirrorRoot, { recursive: true });
    const tmp = `${this.manifestPath}.${process.pid}.${randomUUID()}.rpvc.tmp`;
    const manifest: Manifest = { version: VERSION, threshold: THRESHOLD, small, big };
    await writeFile(tmp, JSON.stringify(manifest));
    await rename(tmp, this.manifestPath);
  }

  private static async needsCopy(src: string, dst: string): Promise<boolean> {
    let s: import("node:fs").Stats;
    try {
      s = await stat(src);
    } catch {
      return false;
    }
    try {
      const d = await stat(dst);
      return s.size !== d.size || s.mtimeMs / 1000 > d.mtimeMs / 1000 + MTIME_TOLERANCE;
    } catch {
      return true;
    }
  }

  /** Copies through a temp file and a rename, keeping the mtime so later diffs converge. */
  private async copyFile(src: string, dst: string): Promise<boolean> {
    const tmp = `${dst}.${process.pid}.${randomUUID().slice(0, 8)}.rpvc.tmp`;
    try {
      await mkdir(dirname(dst), { recursive: true });
      await copyFile(src, tmp);
      const s = await stat(src);
      await utimes(tmp, s.atime, s.mtime);
      await rename(tmp, dst);
      return true;
    } catch (error) {
      this.log.debug(`VolumeCache: skip ${src} -> ${dst}: ${String(error)}`);
      await rm(tmp, { force: true }).catch(() => {});
      return false;
    }
  }

  /** Copies every pair that needs it; returns the sources copied and those already current. */
  private async copyParallel(pairs: Array<[string, string]>) {
    const todo: Array<[string, string]> = [];
    const current = new Set<string>();
    for (const [s, d] of pairs) {
      if (await VolumeCache.needsCopy(s, d)) todo.push([s, d]);
      else current.add(s);
    }
    const copied = new Set<string>();
    await pool(todo, this.maxWorkers, async ([s, d]) => {
      if (await this.copyFile(s, d)) copied.add(s);
    });
    return { copied, current };
  }

  private async extractSmall(): Promise<number> {
    let extracted = 0;
    const satisfied = (path: string, size: number, mtime: number) => {
      try {
        const s = statSync(path);
        return s.size === size && s.mtimeMs / 1000 >= mtime - MTIME_TOLERANCE;
      } catch {
        return false;
      }
    };
    // One pass per configured dir, rooted there: node-tar will not extract into "/" itself
    // (its escape check rejects every path under a root cwd), and a member is only wanted
    // inside a configured dir anyway. `strip` turns `root/.cache/hf/x` into `x` under that dir.
    for (const dir of this.dirs) {
      await mkdir(dir, { recursive: true });
      await tarExtract({
        file: this.smallArchive,
        cwd: dir,
        strip: dir.split(sep).filter(Boolean).length,
        preserveOwner: false,
        filter: (name, entry) => {
          if (!("type" in entry) || (entry.type !== "File" && entry.type !== "OldFile"))
            return false;
          const dst = join("/", name);
          // Every member must land inside a configured dir: this pass takes those of `dir`.
          if (this.dirs.find((d) => VolumeCache.inside(d, realish(dst))) !== dir) return false;
          if (lstatSync(dst, { throwIfNoEntry: false })?.isSymbolicLink()) return false;
          if (satisfied(dst, entry.size ?? -1, (entry.mtime?.getTime() ?? 0) / 1000)) return false;
          extracted += 1;
          return true;
        },
        onwarn: (_code, message) => this.log.debug(`VolumeCache: extract: ${message}`),
      });
    }
    if (extracted) this.log.info(`VolumeCache: extracted ${extracted} small file(s)`);
    return extracted;
  }

  private async doHydrate(): Promise<number> {
    const manifest = await this.readManifest();
    if (!manifest) return 0;
    let restored = 0;
    if (manifest.small.length > 0) {
      try {
        restored += await this.extractSmall();
      } catch (error) {
        this.log.debug(`VolumeCache: cannot read ${this.smallArchive}: ${String(error)}`);
      }
    }
    const pairs: Array<[string, string]> = [];
    for (const entry of manifest.big) {
      if (typeof entry?.path !== "string") continue;
      const rel = relative("/", resolve("/", entry.path));
      const dst = join("/", rel);
      const src = join(this.bigRoot, rel);
      // A crafted manifest must neither write outside the configured dirs nor read outside big/.
      if (this.isSafeDest(dst) && VolumeCache.within(this.bigRoot, src)) pairs.push([src, dst]);
    }
    const { copied } = await this.copyParallel(pairs);
    restored += copied.size;
    if (restored)
      this.log.info(`VolumeCache: hydrated ${restored} file(s) from ${this.mirrorRoot}`);
    return restored;
  }

  private async packSmall(files: string[]): Promise<boolean> {
    await mkdir(this.mirrorRoot, { recursive: true });
    const tmp = `${this.smallArchive}.${process.pid}.${randomUUID().slice(0, 8)}.rpvc.tmp`;
    try {
      await tarCreate(
        { file: tmp, cwd: "/", portable: true, noDirRecurse: true },
        files.map((f) => relative("/", f)),
      );
      await rename(tmp, this.smallArchive);
      return true;
    } catch (error) {
      this.log.debug(`VolumeCache: pack small bucket failed: ${String(error)}`);
      await rm(tmp, { force: true }).catch(() => {});
      return false;
    }
  }

  private async doSync(): Promise<number> {
    const all: string[] = [];
    for (const root of this.dirs) for await (const f of walk(root)) all.push(f);
    let small: FileMeta[] = [];
    let big: string[] = [];
    for (const f of all) {
      const meta = await toMeta(f);
      if (!meta) continue;
      if (meta.size < THRESHOLD) small.push(meta);
      else big.push(f);
    }
    const manifest = await this.readManifest();
    let smallWritten = 0;
    if (small.length > 0) {
      const prior = new Map((manifest?.small ?? []).map((e) => [e.path, e]));
      const changed = small.filter((m) => {
        const p = prior.get(m.path);
        return !p || p.size !== m.size || m.mtime > p.mtime + MTIME_TOLERANCE;
      });
      const now = new Set(small.map((m) => m.path));
      // A deleted file must leave the archive too, or hydrate would bring it back.
      const deleted = [...prior.keys()].some((p) => !now.has(p));
      if (changed.length > 0 || deleted) {
        if (await this.packSmall(small.map((m) => m.path))) smallWritten = changed.length;
        else {
          big = [...big, ...small.map((m) => m.path)];
          small = [];
        }
      }
    }
    // No small files (or packing failed): drop a stale archive before the manifest says so.
    if (small.length === 0) await rm(this.smallArchive, { force: true });
    const pairs = big.map((f): [string, string] => [f, join(this.bigRoot, relative("/", f))]);
    const { copied, current } = await this.copyParallel(pairs);
    // Only files the volume now holds a current copy of: a failed copy must not be listed.
    const bigMeta: FileMeta[] = [];
    for (const f of big) {
      if (!copied.has(f) && !current.has(f)) continue;
      const meta = await toMeta(f);
      if (meta) bigMeta.push(meta);
    }
    await this.writeManifest(small, bigMeta);
    const total = copied.size + smallWritten;
    if (total) this.log.info(`VolumeCache: synced ${total} file(s) to ${this.mirrorRoot}`);
    return total;
  }
}
