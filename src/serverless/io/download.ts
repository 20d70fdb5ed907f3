/**
 * Downloads of URLs that arrive in job input, safe by default (spec platform-updates §5): every
 * request goes through the guard of `safe-get.ts`, the body streams to disk under a size cap
 * (`RUNPOD_MAX_DOWNLOAD_BYTES`, 5 GiB), and a partial file never stays behind.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AbortError } from "../../core/api-errors.js";
import {
  abortSignal,
  custom,
  func,
  integer,
  nonEmptyString,
  object,
  positiveInteger,
  string,
  validated,
} from "../../core/checks.js";
import { DownloadError, redactUrl, SsrfError } from "../../core/io-errors.js";
import { retryDelay } from "../../core/retry-policy.js";
import { userAgent } from "../../core/user-agent.js";
import { sleep } from "../../internal/sleep.js";
import { isAddressOrRange, trustedAddresses } from "./address-policy.js";
import { type GuardPolicy, type Resolver, safeGet, systemResolver } from "./safe-get.js";

/** 5 GiB, as runpod-python. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 5 * 1024 ** 3;

export interface DownloadOptions {
  /** The folder to save into (created when missing). @default "job_files" (relative to the working directory) */
  dir?: string;
  /**
   * The largest body accepted, in bytes: a larger `Content-Length` is refused before reading, and
   * the download is aborted as soon as the running total passes it.
   * Env `RUNPOD_MAX_DOWNLOAD_BYTES`. @default 5368709120 (5 GiB)
   */
  maxBytes?: number;
  /** Aborts the download; the partial file is removed. */
  signal?: AbortSignal;
  /** Gives up when the server sends nothing for this long, in ms. @default 30000 */
  timeoutMs?: number;
  /**
   * Addresses or CIDR ranges allowed although they are not public (e.g. `["10.2.0.0/16"]` for a
   * model store inside your network). Every other private address stays blocked.
   */
  allowAddresses?: readonly string[];
  /** Resolves host names (all addresses). @default `dns.lookup` with `all: true` */
  lookup?: Resolver;
}

export interface DownloadManyOptions extends Omit<DownloadOptions, "dir"> {
  /** Where job folders live: files go to `<root>/<jobId>/downloaded_files/`. @default "jobs" */
  root?: string;
  /** Tries per URL for network errors and 5xx/429 answers. @default 3 */
  attempts?: number;
  /** Downloads at once. @default 4 */
  concurrency?: number;
}

/** A file saved by `download()`. */
export interface DownloadedFile {
  /** Where it was saved: `<dir>/<uuid><extension of the URL's path>`. */
  path: string;
  /** The last segment of the URL's path (after redirects), e.g. `image.png`. */
  fileName: string;
  /** Bytes written. */
  size: number;
  /** The response's `Content-Type`, when it sent one. */
  contentType: string | undefined;
}

const ALLOW_ENV = "RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS";
const MAX_BYTES_ENV = "RUNPOD_MAX_DOWNLOAD_BYTES";

const common = {
  maxBytes: positiveInteger,
  signal: abortSignal,
  timeoutMs: positiveInteger,
  allowAddresses: custom(
    (v) => Array.isArray(v) && v.every((e) => typeof e === "string" && isAddressOrRange(e)),
    "expected an array of IP addresses or CIDR ranges",
  ),
  lookup: func,
};
const downloadOptions = object({ ...common, dir: nonEmptyString() });
const downloadManyOptions = object({
  ...common,
  root: nonEmptyString(),
  attempts: integer(1, 10),
  concurrency: integer(1, 64),
});

/** `RUNPOD_MAX_DOWNLOAD_BYTES`, or 5 GiB when unset, not an integer, or not positive. */
export function maxDownloadBytes(env = process.env): number {
  const raw = env[MAX_BYTES_ENV]?.trim();
  const value = raw && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_DOWNLOAD_BYTES;
}

function policyOf(options: DownloadOptions): GuardPolicy {
  const env = process.env;
  return {
    checkAddresses: !["1", "true", "yes"].includes(env[ALLOW_ENV]?.trim().toLowerCase() ?? ""),
    trusted: trustedAddresses(options.allowAddresses ?? []),
    resolve: options.lookup ?? systemResolver,
    env,
  };
}

const tooLarge = (url: URL, detail: string) =>
  new SsrfError("too-large", `Download of ${redactUrl(url)} exceeds the size cap: ${detail}`);

/** Our own errors pass through; an abort becomes `AbortError`; anything else a `DownloadError`. */
function failure(
  url: string | URL,
  error: unknown,
  status: number | undefined,
  signal?: AbortSignal,
) {
  if (error instanceof SsrfError || error instanceof DownloadError) return error;
  if (signal?.aborted)
    return new AbortError(`Download of ${redactUrl(url)} was aborted`, { cause: error });
  return new DownloadError(`Download of ${redactUrl(url)} failed: ${String(error)}`, status, {
    cause: error,
  });
}

async function fetchTo(
  url: string,
  dir: string,
  options: DownloadOptions,
): Promise<DownloadedFile> {
  const maxBytes = options.maxBytes ?? maxDownloadBytes();
  const { response, url: final } = await safeGet(url, {
    policy: policyOf(options),
    headers: { "User-Agent": userAgent(), "Accept-Encoding": "identity" },
    timeoutMs: options.timeoutMs ?? 30_000,
    signal: options.signal,
  }).catch((error: unknown) => {
    throw failure(url, error, undefined, options.signal);
  });
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.resume();
    throw new DownloadError(`Download of ${redactUrl(final)} failed: HTTP ${status}`, status);
  }
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge(final, `Content-Length ${declared} > ${maxBytes} bytes`);
  }
  await mkdir(dir, { recursive: true });
  const ext = extname(final.pathname);
  const path = join(dir, `${randomUUID()}${/^\.[A-Za-z0-9]{1,16}$/.test(ext) ? ext : ""}`);
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      // Checked while streaming: Content-Length may be absent or lie.
      if (size > maxBytes) done(tooLarge(final, `more than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(response, cap, createWriteStream(path, { flags: "wx" }), {
      signal: options.signal,
    });
  } catch (error) {
    await rm(path, { force: true });
    throw failure(final, error, status, options.signal);
  }
  const fileName = decodeURIComponent(final.pathname.split("/").pop() ?? "");
  return { path, fileName, size, contentType: response.headers["content-type"] };
}

/**
 * Downloads one job-input URL to `dir` under the guard. Throws `SsrfError` for a refused URL (never
 * worth retrying) and `DownloadError` for an HTTP error or a network failure.
 */
export async function download(
  url: string,
  options: DownloadOptions = {},
): Promise<DownloadedFile> {
  validated(string, url, "download() url");
  validated(downloadOptions, options, "download() options");
  return fetchTo(url, resolve(options.dir ?? "job_files"), options);
}

const jobIdRule = nonEmptyString(
  /^(?!\.\.?$)[^/\\]+$/,
  "must be one path component (no / or \\, not . or ..)",
);

const retryable = (error: unknown) =>
  error instanceof DownloadError &&
  (error.status === undefined || error.status === 0 || error.status === 429 || error.status >= 500);

/**
 * Downloads every URL to `<root>/<jobId>/downloaded_files/`, as runpod-python's
 * `download_files_from_urls`: network errors and 5xx/429 are retried (up to `attempts` tries, on
 * the package's retry policy), a URL that still fails gives `null` in its place, and an
 * `SsrfError` is thrown, never swallowed.
 */
export async function downloadMany(
  jobId: string,
  urls: readonly string[],
  options: DownloadManyOptions = {},
): Promise<Array<DownloadedFile | null>> {
  validated(jobIdRule, jobId, "downloadMany() jobId");
  validated(
    custom(
      (v) => Array.isArray(v) && v.every((u) => typeof u === "string"),
      "expected an array of URLs",
    ),
    urls,
    "downloadMany() urls",
  );
  validated(downloadManyOptions, options, "downloadMany() options");
  const dir = resolve(options.root ?? "jobs", jobId, "downloaded_files");
  const attempts = options.attempts ?? 3;
  const results: Array<DownloadedFile | null> = new Array(urls.length).fill(null);
  let next = 0;
  let refused: unknown;
  const one = async (url: string): Promise<DownloadedFile | null> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchTo(url, dir, options);
      } catch (error) {
        if (!retryable(error) || attempt + 1 >= attempts || options.signal?.aborted) {
          if (!(error instanceof DownloadError)) throw error;
          return null;
        }
        await sleep(retryDelay(attempt, { baseMs: 500, capMs: 4_000 }), options.signal);
      }
    }
  };
  const lane = async () => {
    while (refused === undefined && next < urls.length) {
      const i = next++;
      try {
        results[i] = await one(urls[i] as string);
      } catch (error) {
        refused ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, urls.length) }, lane));
  if (refused !== undefined) throw refused;
  return results;
}

/** Removes `<root>/<jobId>/` (the files `downloadMany` saved for the job). */
export async function cleanup(jobId: string, options: { root?: string } = {}): Promise<void> {
  validated(jobIdRule, jobId, "cleanup() jobId");
  validated(object({ root: nonEmptyString() }), options, "cleanup() options");
  await rm(resolve(options.root ?? "jobs", jobId), { recursive: true, force: true });
}
