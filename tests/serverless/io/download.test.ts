/**
 * The download guard (spec platform-updates §5) against real servers on 127.0.0.1: every blocked
 * class, redirects, proxies, the size cap while streaming, the allow setting, and the many-URLs form.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cleanup,
  DownloadError,
  download,
  downloadMany,
  type Resolver,
  SsrfError,
  ValidationError,
} from "../../../src/serverless/io/index.js";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const payload = randomBytes(200_000);
const seen: Array<{ path: string; host: string | undefined }> = [];
const closedMidStream: Array<() => void> = [];
let flaky = 0;
const routes: Record<string, Route> = {
  "/file.bin": (_req, res) => res.end(payload),
  "/hello.txt": (_req, res) => res.end("hello"),
  "/to-metadata": (_req, res) =>
    res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" }).end(),
  "/to-private": (_req, res) => res.writeHead(307, { Location: "http://10.0.0.7/x" }).end(),
  "/to-mapped": (_req, res) =>
    res.writeHead(301, { Location: "http://[::ffff:192.168.1.1]/x" }).end(),
  "/no-location": (_req, res) => res.writeHead(302).end(),
  "/relative": (_req, res) => res.writeHead(303, { Location: "/hello.txt" }).end(),
  "/declared-huge": (_req, res) => {
    res.writeHead(200, { "Content-Length": String(10 * 1024 ** 3) });
    res.write("x");
  },
  "/endless": (req, res) => {
    // Chunked, no Content-Length: only the running total can stop it.
    const chunk = Buffer.alloc(64 * 1024, 7);
    const push = () => {
      while (res.write(chunk)) {}
    };
    res.on("drain", push);
    req.socket.on("close", () => closedMidStream.shift()?.());
    push();
  },
  "/flaky": (_req, res) => {
    flaky += 1;
    if (flaky < 3) res.writeHead(503).end("busy");
    else res.end("finally");
  },
  "/missing": (_req, res) => res.writeHead(404).end("no"),
};

let server: Server;
let port: number;
let base: string;
let work: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    seen.push({ path, host: req.headers.host });
    const hop = /^\/hop\/(\d+)$/.exec(path);
    if (hop) {
      const n = Number(hop[1]);
      if (n > 0) res.writeHead(302, { Location: `/hop/${n - 1}` }).end();
      else res.end("landed");
      return;
    }
    (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const saved = { ...process.env };
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "rp-dl-"));
  seen.length = 0;
  flaky = 0;
  for (const k of [
    "RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS",
    "RUNPOD_MAX_DOWNLOAD_BYTES",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
  ])
    delete process.env[k];
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(work, { recursive: true, force: true });
});

/** A name that resolves to the test server, as DNS would: only its address is trusted. */
const toServer: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
const trusted = { lookup: toServer, allowAddresses: ["127.0.0.1"] };
const at = (path: string) => `http://files.example:${port}${path}`;

async function refused(promise: Promise<unknown>, reason: SsrfError["reason"]) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SsrfError);
  expect((error as SsrfError).reason).toBe(reason);
  return error as SsrfError;
}

describe("download: blocked addresses", () => {
  it("refuses the loopback server itself, before any request reaches it", async () => {
    const e = await refused(download(`${base}/hello.txt`, { dir: work }), "address");
    expect(e.message).toContain("127.0.0.1");
    expect(seen).toEqual([]);
  });

  it("refuses a host name that resolves to 127.0.0.1 (localhost, and any name via lookup)", async () => {
    await refused(download(`http://localhost:${port}/hello.txt`, { dir: work }), "address");
    await refused(download(at("/hello.txt"), { dir: work, lookup: toServer }), "address");
    expect(seen).toEqual([]);
  });

  it("refuses a host when any one of its addresses is private", async () => {
    const mixed: Resolver = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    const e = await refused(
      download("http://mixed.example/x", { dir: work, lookup: mixed }),
      "address",
    );
    expect(e.message).toContain("10.1.2.3");
  });

  it.each([
    ["link-local metadata", "http://169.254.169.254/latest/meta-data/"],
    ["private 10/8", "http://10.0.0.1/"],
    ["private 172.16/12", "http://172.20.1.1/"],
    ["private 192.168/16", "http://192.168.0.10/"],
    ["CGNAT", "http://100.64.12.1/"],
    ["unspecified", "http://0.0.0.0/"],
    ["multicast", "http://224.0.0.251/"],
    ["reserved", "http://240.0.0.1/"],
    ["broadcast", "http://255.255.255.255/"],
    ["documentation", "http://192.0.2.1/"],
    ["integer form of 127.0.0.1", "http://2130706433/"],
    ["IPv6 loopback", "http://[::1]/"],
    ["IPv6 unspecified", "http://[::]/"],
    ["IPv6 unique local", "http://[fd12:3456::1]/"],
    ["IPv6 link-local", "http://[fe80::1]/"],
    ["IPv6 multicast", "http://[ff02::1]/"],
    ["IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/"],
    ["IPv4-mapped metadata", "http://[::ffff:a9fe:a9fe]/"],
    ["IPv4-compatible private", "http://[::10.0.0.1]/"],
    ["NAT64 of a private address", "http://[64:ff9b::c0a8:101]/"],
    ["6to4 of loopback", "http://[2002:7f00:1::]/"],
  ])("refuses %s (%s)", async (_name, url) => {
    await refused(download(url, { dir: work }), "address");
  });

  it("refuses an IPv4-mapped IPv6 literal of the real server", async () => {
    await refused(
      download(`http://[::ffff:127.0.0.1]:${port}/hello.txt`, { dir: work }),
      "address",
    );
    expect(seen).toEqual([]);
  });

  it("refuses schemes other than http and https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])
      await refused(download(url, { dir: work }), "scheme");
  });
});

describe("download: allowed", () => {
  it("connects to the validated address while keeping the URL's host name", async () => {
    let lookups = 0;
    const counted: Resolver = async (h) => {
      lookups += 1;
      return toServer(h);
    };
    const file = await download(at("/file.bin"), {
      dir: work,
      lookup: counted,
      allowAddresses: ["127.0.0.0/8"],
    });
    expect(readFileSync(file.path).equals(payload)).toBe(true);
    expect(file).toMatchObject({ size: payload.length, fileName: "file.bin" });
    expect(file.path.startsWith(work)).toBe(true);
    expect(file.path.endsWith(".bin")).toBe(true);
    expect(seen).toEqual([{ path: "/file.bin", host: `files.example:${port}` }]);
    expect(lookups).toBe(1);
  });

  it("sends the SNI of the URL's name and checks the certificate (no silent trust)", async () => {
    const { createServer: createTls } = await import("node:https");
    const { execFileSync } = await import("node:child_process");
    const key = join(work, "key.pem");
    const cert = join(work, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=files.example",
      ],
      { stdio: "ignore" },
    );
    const names: string[] = [];
    const tls = createTls(
      {
        key: readFileSync(key),
        cert: readFileSync(cert),
        SNICallback: (name, cb) => {
          names.push(name);
          cb(null, undefined);
        },
      },
      (_req, res) => res.end("secret"),
    );
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
    try {
      const tlsPort = (tls.address() as AddressInfo).port;
      const error = await download(`https://files.example:${tlsPort}/x`, {
        dir: work,
        ...trusted,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadError);
      expect(String((error as DownloadError).cause)).toMatch(/self[- ]signed/i);
      expect(names).toEqual(["files.example"]);
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  });

  it("RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS turns the address checks off", async () => {
    for (const value of ["true", "1", "YES"]) {
      process.env.RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS = value;
      const file = await download(`${base}/hello.txt`, { dir: work });
      expect(readFileSync(file.path, "utf8")).toBe("hello");
    }
    process.env.RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS = "no";
    await refused(download(`${base}/hello.txt`, { dir: work }), "address");
  });

  it("keeps http(s)-only and the size cap with the allow setting on", async () => {
    process.env.RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS = "true";
    await refused(download("file:///etc/hostname", { dir: work }), "scheme");
    await refused(download(`${base}/file.bin`, { dir: work, maxBytes: 10 }), "too-large");
  });
});

describe("download: redirects", () => {
  it("re-validates every hop: a redirect to the metadata service, a private or a mapped address", async () => {
    for (const path of ["/to-metadata", "/to-private", "/to-mapped"])
      await refused(download(at(path), { dir: work, ...trusted }), "address");
    expect(seen.map((s) => s.path)).toEqual(["/to-metadata", "/to-private", "/to-mapped"]);
  });

  it("follows relative redirects, keeping the host name", async () => {
    const file = await download(at("/relative"), { dir: work, ...trusted });
    expect(readFileSync(file.path, "utf8")).toBe("hello");
    expect(seen.map((s) => s.host)).toEqual([`files.example:${port}`, `files.example:${port}`]);
  });

  it("follows at most five redirects", async () => {
    const file = await download(at("/hop/5"), { dir: work, ...trusted });
    expect(readFileSync(file.path, "utf8")).toBe("landed");
    seen.length = 0;
    await refused(download(at("/hop/6"), { dir: work, ...trusted }), "redirect");
    expect(seen).toHaveLength(6);
  });

  it("refuses a redirect without Location", async () => {
    await refused(download(at("/no-location"), { dir: work, ...trusted }), "redirect");
  });
});

describe("download: proxies", () => {
  it("refuses a URL an environment proxy would carry, naming no proxy credentials", async () => {
    process.env.HTTP_PROXY = "http://user:pa55@proxy.internal:3128";
    const e = await refused(download(at("/hello.txt"), { dir: work, ...trusted }), "proxy");
    expect(e.message).not.toContain("pa55");
    delete process.env.HTTP_PROXY;
    process.env.all_proxy = "http://proxy.internal:3128";
    await refused(download(at("/hello.txt"), { dir: work, ...trusted }), "proxy");
    expect(seen).toEqual([]);
  });

  it("fetches directly when NO_PROXY exempts the host", async () => {
    process.env.HTTP_PROXY = "http://proxy.internal:3128";
    process.env.NO_PROXY = "other.example, .example";
    const file = await download(at("/hello.txt"), { dir: work, ...trusted });
    expect(readFileSync(file.path, "utf8")).toBe("hello");
  });

  it("lets the allow setting bypass the proxy refusal", async () => {
    process.env.HTTPS_PROXY = "http://proxy.internal:3128";
    process.env.RUNPOD_ALLOW_PRIVATE_DOWNLOAD_URLS = "true";
    // An https proxy does not carry http URLs; an http one is needed to matter here.
    process.env.HTTP_PROXY = "http://127.0.0.1:9";
    // With the guard off, the proxy is not refused (and not used either: we never proxy).
    const file = await download(`${base}/hello.txt`, { dir: work });
    expect(readFileSync(file.path, "utf8")).toBe("hello");
  });
});

describe("download: size cap", () => {
  it("refuses a declared Content-Length above the cap before reading", async () => {
    const e = await refused(download(at("/declared-huge"), { dir: work, ...trusted }), "too-large");
    expect(e.message).toContain("Content-Length");
    expect(readdirSync(work)).toEqual([]);
  });

  it("aborts mid-stream when the running total passes the cap, leaving no partial file", async () => {
    const closed = new Promise<void>((r) => closedMidStream.push(r));
    await refused(
      download(at("/endless"), { dir: work, ...trusted, maxBytes: 300_000 }),
      "too-large",
    );
    await closed; // the endless body was cut off, not read to the end
    expect(readdirSync(work)).toEqual([]);
  });

  it("reads RUNPOD_MAX_DOWNLOAD_BYTES, falling back to 5 GiB for bad values", async () => {
    process.env.RUNPOD_MAX_DOWNLOAD_BYTES = "1000";
    await refused(download(at("/file.bin"), { dir: work, ...trusted }), "too-large");
    for (const bad of ["-5", "0", "abc", "1.5"]) {
      process.env.RUNPOD_MAX_DOWNLOAD_BYTES = bad;
      const file = await download(at("/file.bin"), { dir: work, ...trusted });
      expect(file.size).toBe(payload.length);
    }
  });
});

describe("downloadMany and cleanup", () => {
  it("saves into jobs/<id>/downloaded_files, retries 5xx, gives null for a failure", async () => {
    const root = join(work, "jobs");
    const files = await downloadMany("job-1", [at("/file.bin"), at("/flaky"), at("/missing")], {
      ...trusted,
      root,
    });
    expect(files[0]?.path.startsWith(join(root, "job-1", "downloaded_files"))).toBe(true);
    expect(readFileSync(files[0]?.path as string).equals(payload)).toBe(true);
    expect(readFileSync(files[1]?.path as string, "utf8")).toBe("finally");
    expect(flaky).toBe(3);
    expect(files[2]).toBeNull();
    expect(seen.filter((s) => s.path === "/missing")).toHaveLength(1); // a 404 is not retried
    await cleanup("job-1", { root });
    expect(readdirSync(root)).toEqual([]);
  });

  it("throws the SsrfError of a blocked URL instead of a null, and never retries it", async () => {
    let lookups = 0;
    const lookup: Resolver = async () => {
      lookups += 1;
      return [{ address: "169.254.169.254", family: 4 }];
    };
    await refused(
      downloadMany("job-2", ["http://meta.example/"], { root: work, lookup }),
      "address",
    );
    expect(lookups).toBe(1);
  });

  it("validates its arguments", async () => {
    await expect(downloadMany("../x", [])).rejects.toBeInstanceOf(ValidationError);
    await expect(cleanup("a/b")).rejects.toBeInstanceOf(ValidationError);
    await expect(download(42 as unknown as string)).rejects.toBeInstanceOf(ValidationError);
    await expect(download("http://x/", { maxBytes: 0 })).rejects.toThrow(/maxBytes/);
    await expect(download("http://x/", { allowAddresses: ["nope"] })).rejects.toThrow(
      /allowAddresses/,
    );
    await expect(download("http://x/", { dri: "x" } as never)).rejects.toThrow(
      /unknown option "dri"/,
    );
  });
});
