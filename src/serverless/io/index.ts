/**
 * `runpod-ts/serverless/io`: what a worker reaches for besides the handler itself — safe downloads
 * of job-input URLs, uploads to S3-compatible storage, and a model cache on the network volume.
 * Its own entry, so a worker that does not use it loads none of it.
 */
export { AbortError, RunpodError, ValidationError } from "../../core/index.js";
export { DownloadError, SsrfError, type SsrfReason, StorageError } from "../../core/io-errors.js";
export { regionFromEndpoint } from "./bucket-credentials.js";
export {
  cleanup,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  type DownloadedFile,
  type DownloadManyOptions,
  type DownloadOptions,
  download,
  downloadMany,
} from "./download.js";
export type { ResolvedAddress, Resolver } from "./safe-get.js";
export { type UploadManyOptions, type UploadOptions, upload, uploadMany } from "./upload.js";
export { VolumeCache, type VolumeCacheOptions } from "./volume-cache.js";
