/**
 * Which headers the local load balancer forwards (spec load-balancing.md §10.5: unchanged, except
 * those of one connection, RFC 9110 §7.6.1), and the response size it reads from raw headers.
 */
import { describe, expect, it } from "vitest";
import { contentLength, endToEnd } from "../../src/local/load-balancer/headers.js";

describe("load balancer headers", () => {
  it("drops hop-by-hop headers in any case, keeping the others' case, order and repeats", () => {
    const raw = [
      "Host",
      "127.0.0.1",
      "CONNECTION",
      "keep-alive",
      "Keep-Alive",
      "timeout=5",
      "X-Trace",
      "a",
      "Transfer-Encoding",
      "chunked",
      "x-trace",
      "b",
      "TE",
      "trailers",
    ];
    expect(endToEnd(raw)).toEqual(["Host", "127.0.0.1", "X-Trace", "a", "x-trace", "b"]);
  });

  it("drops the headers that Connection names, whatever their length", () => {
    const raw = ["Connection", "close, X-Secret-Token", "x-secret-token", "t", "X-Other", "o"];
    expect(endToEnd(raw)).toEqual(["X-Other", "o"]);
  });

  it("keeps Connection and Upgrade for a WebSocket handshake", () => {
    const raw = ["Connection", "Upgrade", "Upgrade", "websocket", "Keep-Alive", "5"];
    expect(endToEnd(raw, true)).toEqual(["Connection", "Upgrade", "Upgrade", "websocket"]);
  });

  it("reads Content-Length in any case, undefined without one", () => {
    expect(contentLength(["Content-Type", "a/b", "CONTENT-LENGTH", "26"])).toBe(26);
    expect(contentLength(["Content-Type", "a/b", "Transfer-Encoding", "chunked"])).toBeUndefined();
  });
});
