/**
 * A real S3-compatible server for the upload tests: s3rver on 127.0.0.1, behind a small front on
 * another port that records every request and checks each header-signed request's SigV4
 * signature against the real secret (s3rver checks the access key but not v4 signatures, so
 * without the front a wrong secret would go unnoticed). The front can also fail chosen requests
 * once, to exercise retries.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsV4Signer } from "aws4fetch";
import S3rver from "s3rver";

export const ACCESS_KEY = "S3RVER";
export const SECRET = "S3RVER";

export interface SeenRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  authorization: string | undefined;
}

export interface S3Server {
  /** The front's URL: give this as the endpoint. */
  endpoint: string;
  /** s3rver's own URL. */
  direct: string;
  requests: SeenRequest[];
  /** Answers the next request whose `method + " " + url` matches with a 500, once. */
  failOnce(match: RegExp): void;
  close(): Promise<void>;
}

async function signatureMatches(
  method: string,
  url: string,
  headers: Record<string, string>,
): Promise<boolean> {
  const auth = headers.authorization ?? "";
  const m =
    /Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)/.exec(
      auth,
    );
  if (!m) return true; // not header-signed (presigned GETs): s3rver decides
  const [, accessKeyId, , region, signed, signature] = m as unknown as string[];
  const only: Record<string, string> = {};
  for (const name of (signed as string).split(";")) only[name] = headers[name] ?? "";
  const signer = new AwsV4Signer({
    method,
    url,
    headers: only,
    accessKeyId: accessKeyId as string,
    secretAccessKey: SECRET,
    service: "s3",
    region: region as string,
    datetime: headers["x-amz-date"] as string,
    allHeaders: true,
  });
  return (await signer.signature()) === signature;
}

export async function startS3Server(buckets: string[]): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), "rp-s3rver-"));
  const s3rver = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port: s3Port } = (await s3rver.run()) as AddressInfo;
  const requests: SeenRequest[] = [];
  const failures: RegExp[] = [];
  const front: Server = createServer((req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
    );
    const line = `${req.method} ${req.url}`;
    requests.push({
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: headers.authorization,
    });
    const failing = failures.findIndex((f) => f.test(line));
    if (failing >= 0) {
      failures.splice(failing, 1);
      req.resume();
      res.writeHead(500, { "content-type": "application/xml" });
      res.end("<Error><Code>InternalError</Code><Message>injected</Message></Error>");
      return;
    }
    const host = headers.host ?? "";
    void signatureMatches(req.method ?? "GET", `http://${host}${req.url}`, headers).then((ok) => {
      if (!ok) {
        req.resume();
        res.writeHead(403, { "content-type": "application/xml" });
        res.end(
          "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>",
        );
        return;
      }
      const upstream = request(
        {
          host: "127.0.0.1",
          port: s3Port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          // A client that stops reading must not leave s3rver holding the connection open.
          res.on("close", () => answer.destroy());
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
  });
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
  const frontPort = (front.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${frontPort}`,
    direct: `http://127.0.0.1:${s3Port}`,
    requests,
    failOnce: (match) => failures.push(match),
    close: async () => {
      front.closeAllConnections();
      await new Promise((r) => front.close(r));
      await s3rver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
