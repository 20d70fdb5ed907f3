/**
 * The few S3 requests an upload needs (PutObject, the multipart trio, AbortMultipartUpload) and
 * presigned GET URLs, signed with aws4fetch (SigV4) and path-style addressing
 * (`<endpoint>/<bucket>/<key>`, which every S3-compatible service accepts). Each request is
 * retried on network errors, 5xx and 429 on the package's one retry policy; a failure becomes a
 * `StorageError` that names the bucket and key, never a credential.
 */
import { createHash } from "node:crypto";
import { AwsClient } from "aws4fetch";
import { StorageError } from "../../core/io-errors.js";
import { retryDelay } from "../../core/retry-policy.js";
import { sleep } from "../../internal/sleep.js";
import type { BucketCredentials } from "./bucket-credentials.js";

export interface S3Target {
  bucket: string;
  key: string;
}

const BACKOFF = { baseMs: 250, capMs: 4_000 };

/** `<Code>` and `<Message>` of an S3 XML error body. */
function s3Error(body: string): { code?: string; message?: string } {
  const tag = (name: string) =>
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]?.trim() || undefined;
  const code = tag("Code");
  const message = tag("Message");
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

export class S3Client {
  private readonly aws: AwsClient;

  constructor(
    private readonly creds: BucketCredentials,
    private readonly attempts: number,
    private readonly signal?: AbortSignal,
  ) {
    // retries: 0 — aws4fetch's own retry loop would bypass the package's retry policy.
    this.aws = new AwsClient({
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      service: "s3",
      region: creds.region,
      retries: 0,
    });
  }

  url(t: S3Target, query = ""): string {
    const key = t.key.split("/").map(encodeURIComponent).join("/");
    return `${this.creds.endpointUrl}/${encodeURIComponent(t.bucket)}/${key}${query}`;
  }

  /** Sends one signed request, retried as the module comment says; resolves with the answer. */
  async send(
    what: string,
    t: S3Target,
    init: { method: string; query?: string; body?: Uint8Array; headers?: Record<string, string> },
  ): Promise<{ text: string; headers: Headers }> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body)
      // A signed payload hash instead of UNSIGNED-PAYLOAD: the service checks the bytes arrived whole.
      headers["x-amz-content-sha256"] = createHash("sha256").update(init.body).digest("hex");
    const fail = (detail: string, extra: { status?: number; code?: string; cause?: unknown }) =>
      new StorageError(`${what} to bucket "${t.bucket}" (key "${t.key}") failed: ${detail}`, {
        ...t,
        ...extra,
      });
    for (let attempt = 0; ; attempt++) {
      let failure: StorageError;
      try {
        const response = await this.aws.fetch(this.url(t, init.query), {
          method: init.method,
          headers,
          ...(init.body ? { body: init.body as unknown as BodyInit } : {}),
          ...(this.signal ? { signal: this.signal } : {}),
        });
        const text = await response.text();
        if (response.ok) return { text, headers: response.headers };
        const { code, message } = s3Error(text);
        const status = response.status;
        failure = fail(`HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`, {
          status,
          ...(code ? { code } : {}),
        });
        // A 4xx other than 429 is an answer (bad credentials, no such bucket): trying again
        // cannot change it.
        if (status < 500 && status !== 429) throw failure;
      } catch (error) {
        if (error instanceof StorageError) throw error;
        failure = fail(String(error), { cause: error });
        if (this.signal?.aborted) throw failure;
      }
      if (attempt + 1 >= this.attempts) throw failure;
      await sleep(retryDelay(attempt, BACKOFF), this.signal);
    }
  }

  /** A presigned GET URL valid for `expiresIn` seconds. */
  async presignGet(t: S3Target, expiresIn: number): Promise<string> {
    const signed = await this.aws.sign(this.url(t, `?X-Amz-Expires=${expiresIn}`), {
      method: "GET",
      aws: { signQuery: true },
    });
    return signed.url;
  }
}
