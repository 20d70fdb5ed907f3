/**
 * Uploads against a real S3-compatible server (s3rver, behind a signature-checking front):
 * single PUT and multipart files, bytes, the presigned URL fetched back byte for byte, a part
 * retried, a wrong secret and a wrong key, the job's s3Config, and the local fallback.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../../../src/protocol/job.js";
import { jobStorage } from "../../../src/serverless/context.js";
import {
  regionFromEndpoint,
  StorageError,
  upload,
  uploadMany,
  ValidationError,
} from "../../../src/serverless/io/index.js";
import type { JobContext } from "../../../src/serverless/types.js";
import { ACCESS_KEY, type S3Server, SECRET, startS3Server } from "../../helpers/s3-server.js";
import { spawnWorker } from "../../helpers/worker-process.js";

const MiB = 1024 * 1024;
let s3: S3Server;
let work: string;
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startS3Server(["outputs", "job-bucket"]);
});
afterAll(async () => {
  await s3.close();
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "rp-up-"));
  s3.requests.length = 0;
  process.env.BUCKET_ENDPOINT_URL = s3.endpoint;
  process.env.BUCKET_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.BUCKET_SECRET_ACCESS_KEY = SECRET;
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(work, { recursive: true, force: true });
});

async function fetchBack(url: string): Promise<{ bytes: Buffer; type: string | null }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return { bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get("content-type") };
}

const lines = () =>
  s3.requests.map((r) => `${r.method} ${r.url.replace(/uploadId=[^&]+/, "uploadId=…")}`);

describe("upload", () => {
  it("puts a small file in one request and returns a presigned URL that reads it back", async () => {
    const file = join(work, "result.png");
    const bytes = randomBytes(300_000);
    writeFileSync(file, bytes);
    const url = await upload("job-1", file, { bucket: "outputs" });
    expect(lines()).toEqual(["PUT /outputs/job-1/result.png"]);
    expect(url).toMatch(/X-Amz-Expires=604800/);
    expect(url).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    expect(url).toContain(`X-Amz-Credential=${ACCESS_KEY}%2F`);
    const back = await fetchBack(url);
    expect(back.bytes.equals(bytes)).toBe(true);
    expect(back.type).toBe("image/png");
  });

  it("sends a large file in parallel parts and reassembles it byte for byte", async () => {
    const file = join(work, "weights.bin");
    const bytes = randomBytes(12 * MiB + 12_345);
    writeFileSync(file, bytes);
    const url = await upload("job-2", file, {
      bucket: "outputs",
      multipartThreshold: 6 * MiB,
      partSize: 5 * MiB,
      concurrency: 3,
    });
    const seen = lines();
    expect(seen[0]).toBe("POST /outputs/job-2/weights.bin?uploads");
    expect(seen.slice(1, 4).sort()).toEqual([
      "PUT /outputs/job-2/weights.bin?partNumber=1&uploadId=…",
      "PUT /outputs/job-2/weights.bin?partNumber=2&uploadId=…",
      "PUT /outputs/job-2/weights.bin?partNumber=3&uploadId=…",
    ]);
    expect(seen[4]).toBe("POST /outputs/job-2/weights.bin?uploadId=…");
    expect((await fetchBack(url)).bytes.equals(bytes)).toBe(true);
  });

  it("retries a failed part on its own", async () => {
    const bytes = randomBytes(11 * MiB);
    s3.failOnce(/partNumber=2&/);
    const url = await upload("job-3", bytes, {
      bucket: "outputs",
      key: "retried.bin",
      multipartThreshold: 5 * MiB,
      partSize: 5 * MiB,
    });
    const parts = lines().filter((l) => l.startsWith("PUT"));
    expect(parts.filter((l) => l.includes("partNumber=2&"))).toHaveLength(2);
    expect(parts.filter((l) => l.includes("partNumber=1&"))).toHaveLength(1);
    expect((await fetchBack(url)).bytes.equals(bytes)).toBe(true);
  });

  it("uploads bytes with the key, content type and expiry asked for", async () => {
    const url = await upload("job-4", new TextEncoder().encode('{"ok":true}'), {
      bucket: "outputs",
      key: "custom/answer.json",
      contentType: "application/json",
      expiresIn: 60,
    });
    expect(lines()).toEqual(["PUT /outputs/custom/answer.json"]);
    expect(url).toMatch(/X-Amz-Expires=60&/);
    const back = await fetchBack(url);
    expect(back.bytes.toString()).toBe('{"ok":true}');
    expect(back.type).toBe("application/json");
  });

  it("fails with a wrong secret: a StorageError naming the bucket, never the secret", async () => {
    process.env.BUCKET_SECRET_ACCESS_KEY = "wrong-Secret-9f3a";
    const error = await upload("job-5", new Uint8Array([1, 2, 3]), { bucket: "outputs" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    const e = error as StorageError;
    expect(e.message).toContain('bucket "outputs"');
    expect(e.message).toContain("SignatureDoesNotMatch");
    expect(e).toMatchObject({ bucket: "outputs", status: 403, code: "SignatureDoesNotMatch" });
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(
      "wrong-Secret-9f3a",
    );
    expect(s3.requests).toHaveLength(1); // a 403 is an answer, not retried
  });

  it("fails with an unknown access key (s3rver's own check)", async () => {
    process.env.BUCKET_ENDPOINT_URL = s3.direct;
    process.env.BUCKET_ACCESS_KEY_ID = "NOBODY";
    const error = await upload("job-6", new Uint8Array([1]), { bucket: "outputs" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "InvalidAccessKeyId", status: 403, bucket: "outputs" });
  });

  it("takes credentials, bucket and prefix from the running job's s3Config", async () => {
    delete process.env.BUCKET_ENDPOINT_URL;
    const job: Job = {
      id: "job-7",
      input: null,
      s3Config: {
        endpointUrl: s3.endpoint,
        accessId: ACCESS_KEY,
        accessSecret: SECRET,
        bucketName: "job-bucket",
        objectPath: "runs",
      },
    };
    const ctx = { id: job.id, job } as unknown as JobContext<unknown>;
    const file = join(work, "out.txt");
    writeFileSync(file, "from the job");
    const url = await jobStorage.run(ctx, () => upload(job.id, file));
    expect(lines()).toEqual(["PUT /job-bucket/runs/job-7/out.txt"]);
    expect((await fetchBack(url)).bytes.toString()).toBe("from the job");
  });

  it("signs for the region in the endpoint URL, as runpod-python reads it", async () => {
    await upload("job-8", new Uint8Array([1]), { bucket: "outputs" });
    expect(s3.requests[0]?.authorization).toMatch(/\/us-east-1\/s3\/aws4_request/);
    expect(regionFromEndpoint("https://s3.eu-central-1.amazonaws.com")).toBeUndefined();
    expect(regionFromEndpoint("https://bucket.s3.us-west-2.amazonaws.com")).toBe("us-west-2");
    expect(regionFromEndpoint("https://s3.us-west-004.backblazeb2.com")).toBeUndefined();
    expect(regionFromEndpoint("https://x.s3.us-west-004.backblazeb2.com")).toBe("us-west-004");
    expect(regionFromEndpoint("https://nyc3.digitaloceanspaces.com")).toBe("nyc3");
    expect(regionFromEndpoint("https://my-space.ams3.digitaloceanspaces.com")).toBe("ams3");
    expect(regionFromEndpoint("https://acc.r2.cloudflarestorage.com")).toBeUndefined();
  });

  it("without credentials copies to local_upload/ with a warning and returns that path", async () => {
    delete process.env.BUCKET_ENDPOINT_URL;
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const file = join(work, "frame.jpg");
    writeFileSync(file, "jpeg bytes");
    const cwd = process.cwd();
    process.chdir(work);
    try {
      const path = await upload("job-9", file, { log });
      expect(path).toBe(join("local_upload", "job-9", "frame.jpg"));
      expect(readFileSync(join(work, path), "utf8")).toBe("jpeg bytes");
    } finally {
      process.chdir(cwd);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("local_upload");
    expect(s3.requests).toEqual([]);
  });

  it("validates its arguments", async () => {
    await expect(upload("a/b", new Uint8Array())).rejects.toBeInstanceOf(ValidationError);
    await expect(upload("j", 42 as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(upload("j", new Uint8Array(), { partSize: 1024 })).rejects.toThrow(/partSize/);
    await expect(upload("j", new Uint8Array(), { expiresIn: 604_801 })).rejects.toThrow(
      /expiresIn/,
    );
    await expect(
      upload("j", new Uint8Array(), { s3Config: { endpointUrl: "http://x" } as never }),
    ).rejects.toThrow(/s3Config\.accessId: is required/);
  });
});

describe("upload memory", () => {
  it("keeps a large file out of memory: the peak stays near partSize × concurrency", async () => {
    // Large enough that the peak reflects what is held, not buffers V8 has yet to collect
    // (it collects external memory in steps of tens of MiB). Sparse: no time spent writing it.
    const file = join(work, "large.bin");
    const size = 160 * MiB;
    writeFileSync(file, "");
    truncateSync(file, size);
    const proc = spawnWorker("upload-memory.ts", {
      BUCKET_ENDPOINT_URL: s3.endpoint,
      BUCKET_ACCESS_KEY_ID: ACCESS_KEY,
      BUCKET_SECRET_ACCESS_KEY: SECRET,
      UPLOAD_FILE: file,
    });
    expect((await proc.exited).code).toBe(0);
    const { url, peak } = JSON.parse(proc.lines.find((l) => l.startsWith("{")) ?? "{}");
    // Two 5 MiB parts in flight, plus the copies fetch makes and garbage not yet collected.
    expect(peak).toBeLessThan(size / 2);
    const back = await fetch(url);
    expect(Number(back.headers.get("content-length"))).toBe(size);
    await back.body?.cancel();
  }, 60_000);
});

describe("uploadMany", () => {
  it("uploads every file and returns the URLs in order", async () => {
    const files = ["a.txt", "b.txt", "c.txt"].map((name, i) => {
      const path = join(work, name);
      writeFileSync(path, `file ${i}`);
      return path;
    });
    const urls = await uploadMany("job-10", files, { bucket: "outputs" });
    expect(urls).toHaveLength(3);
    for (const [i, url] of urls.entries()) {
      expect(url).toContain(`/outputs/job-10/${"abc"[i]}.txt?`);
      expect((await fetchBack(url)).bytes.toString()).toBe(`file ${i}`);
    }
  });
});
