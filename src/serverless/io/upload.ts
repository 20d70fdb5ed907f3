/**
 * Uploads of job results to S3-compatible storage, answered with a presigned GET URL, as
 * runpod-python's `rp_upload` does: credentials from the job's `s3Config` or the `BUCKET_*`
 * variables; none at all → the file is copied to `local_upload/` with a warning. Files are read
 * from disk one part at a time: a single PUT up to `multipartThreshold`, a multipart upload above
 * it with `concurrency` parts in flight, so memory stays near `partSize × concurrency` whatever
 * the file's size.
 */
import { randomUUID } from "node:crypto";
import { copyFile, type FileHandle, mkdir, open, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import {
  abortSignal,
  byType,
  custom,
  integer,
  nonEmptyString,
  object,
  validated,
} from "../../core/checks.js";
import { StorageError } from "../../core/io-errors.js";
import type { Logger } from "../../core/logger.js";
import type { S3Config } from "../../protocol/run-request.js";
import { currentJob } from "../context.js";
import { bucketCredentials } from "./bucket-credentials.js";
import { S3Client, type S3Target } from "./s3-client.js";

const MiB = 1024 * 1024;
/** S3's smallest part (all but the last). */
const MIN_PART = 5 * MiB;
/** 7 days, runpod-python's `ExpiresIn`, also SigV4's maximum. */
const WEEK = 604_800;

export interface UploadOptions {
  /** The bucket. @default the job's `s3Config.bucketName`, else the month as runpod-python names it (`MM-YY`) */
  bucket?: string;
  /** The object key. @default `<s3Config.objectPath>/<jobId>/<file name>` (a random name for bytes) */
  key?: string;
  /** @default guessed from the key's extension, else `application/octet-stream` */
  contentType?: string;
  /** How long the returned URL stays valid, in seconds (at most 7 days). @default 604800 */
  expiresIn?: number;
  /**
   * Storage credentials. @default the running job's `s3Config` (`currentJob()`), else the
   * `BUCKET_ENDPOINT_URL`, `BUCKET_ACCESS_KEY_ID`, `BUCKET_SECRET_ACCESS_KEY` variables
   */
  s3Config?: S3Config;
  /** Files at least this large go up in parts. @default 16777216 (16 MiB) */
  multipartThreshold?: number;
  /** Bytes per part (at least 5 MiB, S3's minimum). @default 8388608 (8 MiB) */
  partSize?: number;
  /** Parts in flight at once. @default 4 */
  concurrency?: number;
  /** Tries per request (each part separately) on network errors, 5xx and 429. @default 3 */
  attempts?: number;
  signal?: AbortSignal;
  /** Where the no-credentials warning goes. @default the running job's logger, else `console` */
  log?: Logger;
}

export type UploadManyOptions = Omit<UploadOptions, "key">;

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".safetensors": "application/octet-stream",
};

const s3ConfigRule = object(
  {
    endpointUrl: nonEmptyString(),
    accessId: nonEmptyString(),
    accessSecret: nonEmptyString(),
    bucketName: nonEmptyString(),
    objectPath: custom((v) => typeof v === "string", "expected string"),
  },
  { required: ["endpointUrl", "accessId", "accessSecret", "bucketName"] },
);
const common = {
  bucket: nonEmptyString(),
  contentType: nonEmptyString(),
  expiresIn: integer(1, WEEK),
  s3Config: s3ConfigRule,
  multipartThreshold: integer(1),
  partSize: integer(MIN_PART, 5 * 1024 * MiB),
  concurrency: integer(1, 64),
  attempts: integer(1, 10),
  signal: abortSignal,
  log: custom(
    (v) =>
      typeof v === "object" &&
      v !== null &&
      ["debug", "info", "warn", "error"].every(
        (m) => typeof (v as Record<string, unknown>)[m] === "function",
      ),
    "expected a logger (debug, info, warn, error)",
  ),
};
const uploadOptions = object({ ...common, key: nonEmptyString() });
const uploadManyOptions = object(common);
const jobIdRule = nonEmptyString(/^[^/\\]+$/, "must not contain / or \\");
const fileRule = byType(
  {
    string: nonEmptyString(),
    object: custom((v) => v instanceof Uint8Array, "expected a file path or a Uint8Array"),
  },
  "expected a file path or a Uint8Array",
);

/** The month, `MM-YY`, runpod-python's default bucket name. */
function monthBucket(now = new Date()): string {
  return `${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getFullYear() % 100).padStart(2, "0")}`;
}

/** Reads `length` bytes at `position` of an open file (a short read only at its end). */
async function readPart(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

interface Source {
  size: number;
  /** Bytes `[position, position + length)`. */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

async function sourceOf(fileOrBytes: string | Uint8Array): Promise<Source> {
  if (typeof fileOrBytes !== "string") {
    const bytes = fileOrBytes;
    return {
      size: bytes.byteLength,
      read: async (position, length) => bytes.subarray(position, position + length),
      close: async () => {},
    };
  }
  const file = await open(fileOrBytes, "r");
  const { size } = await file.stat();
  return {
    size,
    read: (position, length) => readPart(file, position, length),
    close: () => file.close(),
  };
}

interface Plan {
  partSize: number;
  concurrency: number;
}

async function multipart(
  s3: S3Client,
  t: S3Target,
  src: Source,
  plan: Plan,
  headers: Record<string, string>,
): Promise<void> {
  const created = await s3.send("Starting a multipart upload", t, {
    method: "POST",
    query: "?uploads",
    headers,
  });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text)?.[1];
  if (!uploadId)
    throw new StorageError(
      `Starting a multipart upload to bucket "${t.bucket}" (key "${t.key}") failed: no UploadId in the answer`,
      t,
    );
  const query = (extra: string) => `?${extra}uploadId=${encodeURIComponent(uploadId)}`;
  const count = Math.max(1, Math.ceil(src.size / plan.partSize));
  const etags: string[] = new Array(count);
  let next = 0;
  let failed = false;
  // Each lane reads its next part from disk only when it is free to send it.
  const lane = async () => {
    while (!failed && next < count) {
      const n = next++;
      try {
        const body = await src.read(n * plan.partSize, plan.partSize);
        const answer = await s3.send(`Uploading part ${n + 1} of ${count}`, t, {
          method: "PUT",
          query: query(`partNumber=${n + 1}&`),
          body,
        });
        etags[n] = answer.headers.get("etag") ?? "";
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  try {
    const lanes = await Promise.allSettled(
      Array.from({ length: Math.min(plan.concurrency, count) }, lane),
    );
    const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === "rejected");
    if (rejected) throw rejected.reason;
    const parts = etags.map(
      (e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`,
    );
    const done = await s3.send("Completing a multipart upload", t, {
      method: "POST",
      query: query(""),
      body: new TextEncoder().encode(
        `<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`,
      ),
      headers: { "content-type": "application/xml" },
    });
    // S3 may answer 200 and put the error in the body.
    if (/<Error>/.test(done.text))
      throw new StorageError(
        `Completing a multipart upload to bucket "${t.bucket}" (key "${t.key}") failed: ${/<Code>([^<]*)/.exec(done.text)?.[1] ?? "error"}`,
        t,
      );
  } catch (error) {
    // Best effort: an abandoned upload keeps its parts (and their cost) until aborted.
    await s3
      .send("Aborting a multipart upload", t, { method: "DELETE", query: query("") })
      .catch(() => {});
    throw error;
  }
}

function keyFor(jobId: string, fileOrBytes: string | Uint8Array, prefix: string | undefined) {
  const name = typeof fileOrBytes === "string" ? basename(fileOrBytes) : randomUUID().slice(0, 8);
  return [prefix?.replace(/^\/+|\/+$/g, ""), jobId, name].filter(Boolean).join("/");
}

async function uploadOne(
  jobId: string,
  fileOrBytes: string | Uint8Array,
  options: UploadOptions,
): Promise<string> {
  const s3Config = options.s3Config ?? currentJob()?.job.s3Config;
  const creds = bucketCredentials(s3Config, process.env);
  const key = options.key ?? keyFor(jobId, fileOrBytes, creds?.objectPath);
  if (!creds) {
    const log = options.log ?? currentJob()?.log ?? console;
    log.warn(
      "No bucket credentials (the job's s3Config or BUCKET_ENDPOINT_URL, BUCKET_ACCESS_KEY_ID, BUCKET_SECRET_ACCESS_KEY): saving to the local folder 'local_upload' instead.",
    );
    const path = join("local_upload", key);
    await mkdir(dirname(path), { recursive: true });
    if (typeof fileOrBytes === "string") await copyFile(fileOrBytes, path);
    else await writeFile(path, fileOrBytes);
    return path;
  }
  const t: S3Target = { bucket: options.bucket ?? creds.bucketName ?? monthBucket(), key };
  const s3 = new S3Client(creds, options.attempts ?? 3, options.signal);
  const contentType =
    options.contentType ?? CONTENT_TYPES[extname(key).toLowerCase()] ?? "application/octet-stream";
  const src = await sourceOf(fileOrBytes);
  try {
    if (src.size < (options.multipartThreshold ?? 16 * MiB)) {
      await s3.send("Upload", t, {
        method: "PUT",
        body: await src.read(0, src.size),
        headers: { "content-type": contentType },
      });
    } else {
      await multipart(
        s3,
        t,
        src,
        { partSize: options.partSize ?? 8 * MiB, concurrency: options.concurrency ?? 4 },
        { "content-type": contentType },
      );
    }
  } finally {
    await src.close();
  }
  return s3.presignGet(t, options.expiresIn ?? WEEK);
}

/**
 * Uploads a file (a path, read from disk part by part) or bytes and returns a presigned GET URL
 * (valid `expiresIn` seconds). Without credentials, copies it to `local_upload/<key>` with a
 * warning and returns that path. Throws `StorageError` (naming the bucket, never a credential).
 */
export async function upload(
  jobId: string,
  fileOrBytes: string | Uint8Array,
  options: UploadOptions = {},
): Promise<string> {
  validated(jobIdRule, jobId, "upload() jobId");
  validated(fileRule, fileOrBytes, "upload() file");
  validated(uploadOptions, options, "upload() options");
  return uploadOne(jobId, fileOrBytes, options);
}

/**
 * Uploads several files, `concurrency` files at a time (each also sends its parts in
 * parallel), and returns their URLs (or local paths) in order. The first failure rejects.
 */
export async function uploadMany(
  jobId: string,
  files: ReadonlyArray<string | Uint8Array>,
  options: UploadManyOptions = {},
): Promise<string[]> {
  validated(jobIdRule, jobId, "uploadMany() jobId");
  validated(
    custom(
      (v) => Array.isArray(v) && v.every((f) => typeof f === "string" || f instanceof Uint8Array),
      "expected an array of file paths or Uint8Arrays",
    ),
    files,
    "uploadMany() files",
  );
  validated(uploadManyOptions, options, "uploadMany() options");
  const results: string[] = new Array(files.length);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await uploadOne(jobId, files[i] as string | Uint8Array, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, files.length) }, lane));
  return results;
}
