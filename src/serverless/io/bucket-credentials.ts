/**
 * Where uploads go: the job's `s3Config`, else the `BUCKET_*` variables runpod-python reads, and
 * the signing region taken from the endpoint URL as runpod-python takes it.
 */
import type { S3Config } from "../../protocol/run-request.js";

export interface BucketCredentials {
  endpointUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The job's `s3Config.bucketName`, when the credentials came from it. */
  bucketName?: string | undefined;
  /** The job's `s3Config.objectPath`, a key prefix. */
  objectPath?: string | undefined;
  region: string;
}

/**
 * runpod-python's `extract_region_from_url`: `….s3.<region>.…` (AWS, Backblaze) or
 * `<region>.digitaloceanspaces.com`; otherwise none, and requests are signed for `us-east-1`
 * (what boto3 does without a region). One deliberate difference: for a Spaces URL without a
 * bucket label (`https://nyc3.digitaloceanspaces.com`) Python's string split yields
 * `digitaloceanspaces`; here the label before the domain, `nyc3`, as for the bucket form.
 */
export function regionFromEndpoint(endpointUrl: string): string | undefined {
  if (endpointUrl.includes(".s3.")) return endpointUrl.split(".s3.")[1]?.split(".")[0] || undefined;
  let host: string;
  try {
    host = new URL(endpointUrl).host;
  } catch {
    return undefined;
  }
  if (host.endsWith(".digitaloceanspaces.com"))
    return host.slice(0, -".digitaloceanspaces.com".length).split(".").pop() || undefined;
  return undefined;
}

/** The job's `s3Config` when given, else the env variables; `undefined` when either is incomplete. */
export function bucketCredentials(
  s3Config: Partial<S3Config> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): BucketCredentials | undefined {
  const source = s3Config
    ? {
        endpointUrl: s3Config.endpointUrl,
        accessKeyId: s3Config.accessId,
        secretAccessKey: s3Config.accessSecret,
      }
    : {
        endpointUrl: env.BUCKET_ENDPOINT_URL,
        accessKeyId: env.BUCKET_ACCESS_KEY_ID,
        secretAccessKey: env.BUCKET_SECRET_ACCESS_KEY,
      };
  const { endpointUrl, accessKeyId, secretAccessKey } = source;
  if (!endpointUrl || !accessKeyId || !secretAccessKey) return undefined;
  return {
    endpointUrl: endpointUrl.replace(/\/+$/, ""),
    accessKeyId,
    secretAccessKey,
    bucketName: s3Config?.bucketName || undefined,
    objectPath: s3Config?.objectPath || undefined,
    region: regionFromEndpoint(endpointUrl) ?? "us-east-1",
  };
}
