/**
 * Errors of the worker's file helpers (`runpod-ts/serverless/io`): a URL the download guard
 * refused, a download that failed, and an object-storage request that failed.
 */
import { RunpodError } from "./errors.js";

/** Why the download guard refused a URL (spec platform-updates §5). */
export type SsrfReason =
  | "scheme"
  | "no-host"
  | "unresolvable"
  | "address"
  | "proxy"
  | "redirect"
  | "too-large";

/**
 * A job-input URL was refused: a scheme other than http(s), a host that resolves to an address
 * that is not globally routable, a proxy that would defeat address pinning, too many redirects,
 * or a body above the size cap. Never retried: fetching it again cannot make it safe.
 */
export class SsrfError extends RunpodError {
  static override readonly kind: string = "SsrfError";
  readonly reason: SsrfReason;

  constructor(reason: SsrfReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A download that was allowed but did not succeed: an HTTP error status or a network failure. */
export class DownloadError extends RunpodError {
  static override readonly kind: string = "DownloadError";
  /** The HTTP status, or `undefined` when no response arrived. */
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** An S3-compatible storage request failed. The message names the bucket, never a credential. */
export class StorageError extends RunpodError {
  static override readonly kind: string = "StorageError";
  readonly bucket: string;
  readonly key: string;
  /** The HTTP status, or `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** The storage service's error code (`SignatureDoesNotMatch`, `NoSuchBucket`...), when it sent one. */
  readonly code: string | undefined;

  constructor(
    message: string,
    init: { bucket: string; key: string; status?: number; code?: string; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.bucket = init.bucket;
    this.key = init.key;
    this.status = init.status;
    this.code = init.code;
  }
}

/** A URL as it may appear in an error or a log: no credentials, no query (presigned URLs sign there). */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? "?…" : ""}`;
  } catch {
    return "<unparseable url>";
  }
}
