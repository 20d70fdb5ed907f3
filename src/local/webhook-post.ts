import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isPrivateAddress, PrivateAddressError } from "./private-address.js";

/** The receiver's answer: its status and `Retry-After`, if any. */
export interface WebhookAnswer {
  status: number;
  retryAfter: string | undefined;
}

/**
 * One webhook POST; resolves with the receiver's answer. Written on `node:http` rather than
 * `fetch` for its `lookup` hook: with `publicOnly`, every address is checked as the socket
 * connects (see `publicOnlyLookup`), and IP literals, which skip the lookup, are checked here.
 */
export function postWebhook(
  url: string,
  body: string,
  signal: AbortSignal,
  lookup: LookupFunction | undefined,
): Promise<WebhookAnswer> {
  const target = new URL(url);
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (lookup !== undefined && isIP(literal) !== 0 && isPrivateAddress(literal)) {
    return Promise.reject(new PrivateAddressError(target.hostname, literal));
  }
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
        signal,
        ...(lookup === undefined ? {} : { lookup }),
      },
      (res) => {
        // Drain so the connection can be reused; the receiver's answer is not ours to read.
        res.resume();
        const retryAfter = res.headers["retry-after"];
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
