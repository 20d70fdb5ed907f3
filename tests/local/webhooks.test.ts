/** Webhooks (§B.5): status object + input + webhook, on COMPLETED and FAILED, with retries. */
import { afterEach, describe, expect, it } from "vitest";
import { client, nextEvent, startPlatform, workerFor } from "../helpers/local-platform.js";
import { deadUrl, type HookAnswer, startWebhookReceiver } from "../helpers/webhook-receiver.js";

const receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(statuses: HookAnswer[] = []) {
  const r = await startWebhookReceiver(statuses);
  receivers.push(r);
  return r;
}

function recordingLogger() {
  const lines: string[] = [];
  const line = (message: string) => {
    lines.push(message);
  };
  return { logger: { debug: line, info: line, warn: line, error: line }, lines };
}

describe("webhooks", () => {
  it("POSTs the status object plus input and webhook when a job completes", async () => {
    const hook = await receiver();
    const p = await startPlatform();
    workerFor(p).start(async () => ({ output: { answer: 42 } }));
    const { id } = (await client(p).post("/run", { input: { q: "life" }, webhook: hook.url })).json;
    await hook.waitFor(1);
    const [call] = hook.received;
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.body).toEqual({
      id,
      status: "COMPLETED",
      delayTime: expect.any(Number),
      executionTime: expect.any(Number),
      output: { answer: 42 },
      workerId: "w1",
      input: { q: "life" },
      webhook: hook.url,
    });
  });

  it("fires for FAILED jobs too, and for /runsync", async () => {
    const hook = await receiver();
    const p = await startPlatform();
    workerFor(p).start(async () => ({ error: "nope" }));
    const res = await client(p).post("/runsync", { input: {}, webhook: hook.url });
    expect(res.json.status).toBe("FAILED");
    await hook.waitFor(1);
    expect(hook.received[0]?.body).toMatchObject({
      id: res.json.id,
      status: "FAILED",
      error: "nope",
    });
  });

  it("does not fire for cancelled jobs", async () => {
    const hook = await receiver();
    const p = await startPlatform();
    const api = client(p);
    const cancelled = (await api.post("/run", { input: { n: 1 }, webhook: hook.url })).json.id;
    await api.post(`/cancel/${cancelled}`);
    const completed = (await api.post("/run", { input: { n: 2 }, webhook: hook.url })).json.id;
    workerFor(p).start(async () => ({ output: "ok" }));
    await hook.waitFor(1);
    expect(hook.received.map((h) => (h.body as { id: string }).id)).toEqual([completed]);
    expect(cancelled).not.toBe(completed);
  });

  it("waits at least the receiver's Retry-After before the next attempt", async () => {
    const hook = await receiver([{ status: 503, retryAfter: "1" }, 200]);
    const { logger, lines } = recordingLogger();
    const p = await startPlatform({ webhookRetryDelayMs: 10, logger });
    const delivered = nextEvent(p, (e) => e.type === "webhook" && e.ok);
    workerFor(p).start(async () => ({ output: 1 }));
    await client(p).post("/run", { input: {}, webhook: hook.url });
    expect(await delivered).toMatchObject({ attempt: 2, status: 200 });
    const [first, second] = hook.received;
    // The policy's own ceiling for this retry is 10 ms: only Retry-After makes it a second.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(999);
    expect(lines.filter((l) => l.includes("answered 503"))).toEqual([
      expect.stringMatching(/answered 503 \(attempt 1\); retrying in 1000 ms$/),
    ]);
  });

  it("retries a failing receiver up to webhookAttempts times", async () => {
    const hook = await receiver([500, 503, 500, 200]);
    const p = await startPlatform({ webhookAttempts: 3, webhookRetryDelayMs: 10 });
    const attempts: Array<{ attempt: number; ok: boolean; status?: number }> = [];
    const last = nextEvent(p, (e) => e.type === "webhook" && e.attempt === 3);
    p.subscribe((e) => {
      if (e.type === "webhook") {
        const { attempt, ok, status } = e;
        attempts.push(status === undefined ? { attempt, ok } : { attempt, ok, status });
      }
    });
    workerFor(p).start(async () => ({ output: 1 }));
    await client(p).post("/run", { input: {}, webhook: hook.url });
    await last;
    expect(attempts).toEqual([
      { attempt: 1, ok: false, status: 500 },
      { attempt: 2, ok: false, status: 503 },
      { attempt: 3, ok: false, status: 500 },
    ]);
    expect(hook.received).toHaveLength(3); // never a 4th
  });

  it("stops retrying once the receiver answers 2xx", async () => {
    const hook = await receiver([500, 204]);
    const p = await startPlatform({ webhookRetryDelayMs: 5 });
    const delivered = nextEvent(p, (e) => e.type === "webhook" && e.ok);
    workerFor(p).start(async () => ({ output: 1 }));
    await client(p).post("/run", { input: {}, webhook: hook.url });
    expect(await delivered).toMatchObject({ attempt: 2, status: 204 });
    expect(hook.received.map((h) => h.answered)).toEqual([500, 204]);
  });

  it("a receiver that is down never blocks the queue", async () => {
    const down = await deadUrl();
    const p = await startPlatform({ webhookAttempts: 3, webhookRetryDelayMs: 60_000 });
    const api = client(p);
    const firstFailure = nextEvent(p, (e) => e.type === "webhook" && !e.ok);
    workerFor(p).start(async (job) => ({ output: job.input }));
    await api.post("/run", { input: { n: 1 }, webhook: down });
    await firstFailure; // the next attempt is a minute away
    const res = await api.post("/runsync", { input: { n: 2 } });
    expect(res.json).toMatchObject({ status: "COMPLETED", output: { n: 2 } });
    // close() must cancel the pending retry rather than wait a minute for it.
  });

  it("rejects a webhook that is not an http(s) URL", async () => {
    const p = await startPlatform();
    const res = await client(p).post("/run", { input: {}, webhook: "ftp://x/y" });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^invalid request: webhook: /);
  });
});
