/**
 * A platform bound beyond loopback without an API key: a warning at start, and webhooks that
 * refuse this machine's and its networks' addresses. 127.0.0.2 stands in for a network interface:
 * it is not one of the loopback binds the platform trusts, yet all traffic stays on this machine.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/core/logger.js";
import type { PlatformEvent } from "../../src/local/index.js";
import { isPrivateAddress } from "../../src/local/private-address.js";
import { client, nextEvent, startPlatform, workerFor } from "../helpers/local-platform.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

const EXPOSED = "127.0.0.2";

const receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const at =
    (level: string) =>
    (message: string): void => {
      lines.push({ level, message });
    };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return { logger, lines };
}

type WebhookEvent = Extract<PlatformEvent, { type: "webhook" }>;
const isWebhook = (e: PlatformEvent): e is WebhookEvent => e.type === "webhook";

describe("a platform open to the network", () => {
  it("warns at start through the logger, naming the address and the way out", async () => {
    const { logger, lines } = recordingLogger();
    const p = await startPlatform({ host: EXPOSED, logger });
    expect(lines).toEqual([
      {
        level: "warn",
        message: `the local platform listens on ${EXPOSED}:${p.port} without an API key: anyone who can reach this machine can submit, take and cancel jobs and read their inputs and outputs. Set an API key (apiKey, or runpod-ts dev --api-key KEY) or bind 127.0.0.1. Webhooks to loopback, private and link-local addresses are refused (allowPrivateWebhooks lets them through).`,
      },
    ]);
  });

  it("without a logger, warns as a Node warning; with a key or on loopback, says nothing", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const p = await startPlatform({ host: EXPOSED });
      // process.emitWarning delivers on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => [(w as NodeJS.ErrnoException).code, w.message])).toEqual([
        [
          "RUNPOD_LOCAL_PLATFORM_EXPOSED",
          expect.stringContaining(`listens on ${EXPOSED}:${p.port} without an API key`),
        ],
      ]);
      const quiet = recordingLogger();
      await startPlatform({ host: EXPOSED, apiKey: "k", logger: quiet.logger });
      await startPlatform({ logger: quiet.logger });
      await new Promise((r) => setImmediate(r));
      expect(quiet.lines).toEqual([]);
      expect(warnings).toHaveLength(1);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("refuses webhooks to loopback addresses, by IP or by name, without retrying", async () => {
    const hook = await startWebhookReceiver();
    receivers.push(hook);
    const { logger, lines } = recordingLogger();
    const p = await startPlatform({
      host: EXPOSED,
      logger,
      webhookAttempts: 3,
      webhookRetryDelayMs: 0,
    });
    const attempts: WebhookEvent[] = [];
    p.subscribe((e) => {
      if (isWebhook(e)) attempts.push(e);
    });
    workerFor(p).start(async () => ({ output: 1 }));
    const api = client(p);
    const expected: WebhookEvent[] = [];
    for (const url of [hook.url, hook.url.replace("127.0.0.1", "localhost")]) {
      const attempt = nextEvent(p, isWebhook);
      const { id } = (await api.post("/run", { input: {}, webhook: url })).json;
      expected.push({ type: "webhook", id, url, attempt: 1, ok: false });
      expect(await attempt).toEqual(expected.at(-1));
    }
    // The same receiver is reachable: a platform that allows it delivers. Its round trips also
    // give the refused deliveries (no retry delay) ample time to show a retry, had they made one.
    const allowed = await startPlatform({
      host: EXPOSED,
      logger,
      allowPrivateWebhooks: true,
    });
    workerFor(allowed).start(async () => ({ output: 2 }));
    const delivered = nextEvent(allowed, isWebhook);
    await client(allowed).post("/run", { input: {}, webhook: hook.url });
    expect(await delivered).toMatchObject({ ok: true, status: 200 });
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.body).toMatchObject({ output: 2 });
    expect(attempts).toEqual(expected);
    const refusals = lines.filter((l) => l.message.includes("refused:"));
    expect(refusals.map((l) => l.level)).toEqual(["warn", "warn"]);
    expect(refusals[0]?.message).toContain(
      "127.0.0.1 resolves to 127.0.0.1, a private, loopback or link-local address",
    );
    expect(refusals[1]?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
  });

  it("delivers to loopback receivers when the platform has an API key or listens on loopback", async () => {
    const hook = await startWebhookReceiver();
    receivers.push(hook);
    for (const options of [{ host: EXPOSED, apiKey: "k-1" }, {}]) {
      const p = await startPlatform(options);
      workerFor(p).start(async () => ({ output: 1 }));
      const delivered = nextEvent(p, isWebhook);
      const headers: Record<string, string> =
        "apiKey" in options ? { authorization: "Bearer k-1" } : {};
      await client(p, headers).post("/run", { input: {}, webhook: hook.url });
      expect(await delivered).toMatchObject({ ok: true, status: 200 });
    }
    expect(hook.received).toHaveLength(2);
  });
});

describe("isPrivateAddress", () => {
  it("covers loopback, private, link-local, CGNAT and unspecified, IPv4-mapped too", () => {
    for (const address of [
      "127.0.0.1",
      "127.1.2.3",
      "10.0.0.8",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "not-an-ip"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});
